/**
 * Contract groups for failure correctness (issue 11): every call error says what it did at the
 * provider (`outcome`), hostile refs and call options are refused before any call, and webhook
 * handlers answer a missing or already parsed body and odd header maps with a typed error.
 */
import { userRef } from '@kycport/core';
import type { WebhookRequest } from '@kycport/core';
import { expectLeft, expectRight, invoke } from './contract-assertions';
import type { ContractSuite } from './contract-assertions';
import type { PortOperation } from './harness';

const OUTCOMES = ['not_sent', 'rejected', 'unknown'];

const REF_OPERATIONS: ReadonlyArray<PortOperation> = ['getStatus', 'retry', 'submitVerification'];

/** Every error from a documented failure says what the call did at the provider. */
export function describeOutcomes(current: () => ContractSuite): void {
  it('says what every failed call did at the provider (outcome)', async () => {
    const { harness } = current();
    for (const scenario of harness.failures) {
      const { ref } = await scenario.arrange();
      const input =
        scenario.operation === 'createUser' ? (scenario.input ?? harness.validInput) : scenario.input;
      const error = expectLeft(
        await invoke(harness.provider, scenario.operation, ref, input, scenario.options)(),
      );
      expect([scenario.name, OUTCOMES.includes(error.outcome ?? 'missing')]).toEqual([scenario.name, true]);
      await harness.afterEach?.();
    }
  });
}

/** A ref that is not well-formed Unicode, and bad call timings, are refused before any call. */
export function describeHostileInput(current: () => ContractSuite): void {
  describe('hostile input', () => {
    it('refuses a ref with a lone surrogate as validation, before any call, without throwing', async () => {
      const { harness } = current();
      for (const operation of REF_OPERATIONS) {
        if (!harness.provider.capabilities.operations[operation].supported) continue;
        const before = harness.callCount();
        const error = expectLeft(
          await invoke(harness.provider, operation, userRef('user-\uD800'), {}, undefined)(),
        );
        expect([operation, error.kind, error.outcome]).toEqual([operation, 'validation', 'not_sent']);
        expect(harness.callCount()).toBe(before);
      }
    });

    it.each([0, -1, Number.NaN, 1.5])(
      'refuses timeoutMs %p as validation, before any call',
      async (timeoutMs) => {
        const { harness } = current();
        const before = harness.callCount();
        const error = expectLeft(await harness.provider.getStatus(harness.someRef, { timeoutMs })());
        expect(error.kind).toBe('validation');
        expect(harness.callCount()).toBe(before);
      },
    );
  });
}

/** Webhook handlers never throw on what a host may hand over by mistake. */
export function describeWebhookRobustness(current: () => ContractSuite): void {
  describe('webhook robustness', () => {
    it('marks every event with its dedupe key strength', async () => {
      const { harness } = current();
      const { request } = await harness.webhookScenarios.authentic();
      const event = expectRight(await harness.webhooks.parseWebhook(request)()) as {
        dedupeKeyStrength?: string;
      };
      expect(['exact', 'weak']).toContain(event.dedupeKeyStrength);
    });

    it('answers a body already parsed by a JSON body parser with a config error', async () => {
      const { harness } = current();
      const { request } = await harness.webhookScenarios.authentic();
      const parsed = { ...request, rawBody: { already: 'parsed' } } as unknown as WebhookRequest;
      expect(expectLeft(await harness.webhooks.parseWebhook(parsed)()).kind).toBe('config');
    });

    it('answers a missing body as webhook_rejected', async () => {
      const { harness } = current();
      const { request } = await harness.webhookScenarios.authentic();
      const missing = { ...request, rawBody: undefined } as unknown as WebhookRequest;
      expect(expectLeft(await harness.webhooks.parseWebhook(missing)()).kind).toBe('webhook_rejected');
    });

    it('answers null header values and an empty header map with a typed error, never a throw', async () => {
      const { harness } = current();
      const { request } = await harness.webhookScenarios.authentic();
      const nulls = Object.fromEntries(Object.keys(request.headers).map((name) => [name, null]));
      for (const headers of [nulls, {}]) {
        const result = await harness.webhooks.parseWebhook({ ...request, headers } as WebhookRequest)();
        expect(result._tag).toBe('Left');
      }
    });
  });
}
