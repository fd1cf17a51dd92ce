/**
 * The groups of the shared contract suite, each a `describe` (or `it`) registered by
 * `describeKycProviderContract`; each reads the harness through `current()` once the suite's
 * `beforeAll` has built it.
 */
import * as E from 'fp-ts/Either';
import { KYC_STATUSES, parseUserRef } from '@kycport/core';
import type { RetryStrategy } from '@kycport/core';
import { expectLeft, expectNoLeak, expectRight, invoke } from './contract-assertions';
import type { ContractSuite } from './contract-assertions';
import type { PortOperation } from './harness';

const ALL_STRATEGIES: ReadonlyArray<RetryStrategy> = [
  { kind: 'auto' },
  { kind: 'restart' },
  { kind: 'resume' },
  {
    kind: 'custom',
    steps: { verifySms: false, kycCheck: true, documentaryVerification: true, selfieCheck: false },
  },
];

/** Capabilities agree with the retry strategies; every unsupported operation says why. */
export function describeCapabilities(current: () => ContractSuite): void {
  it('declares capabilities that agree with its retry strategies', () => {
    const { harness } = current();
    const { capabilities, id } = harness.provider;
    expect(typeof id).toBe('string');
    expect(harness.webhooks.provider).toBe(id);
    if (capabilities.operations.retry.supported)
      expect(capabilities.retryStrategies.length).toBeGreaterThan(0);
    else expect(capabilities.retryStrategies).toHaveLength(0);
    for (const support of Object.values(capabilities.operations)) {
      if (!support.supported) expect(support.reason.length).toBeGreaterThan(10);
    }
  });
}

/** A success scenario for every supported operation, each ending in the documented state. */
export function describeHappyPaths(current: () => ContractSuite): void {
  describe('happy paths', () => {
    it('has a scenario for every supported operation', () => {
      const { harness } = current();
      const covered = new Set(harness.successes.map((scenario) => scenario.operation));
      for (const [operation, support] of Object.entries(harness.provider.capabilities.operations)) {
        if (support.supported)
          expect([operation, covered.has(operation as PortOperation)]).toEqual([operation, true]);
      }
    });

    it('returns the documented state for each success scenario', async () => {
      const { harness, needles } = current();
      for (const scenario of harness.successes) {
        const { ref } = await scenario.arrange();
        const input =
          scenario.operation === 'createUser' ? (scenario.input ?? harness.validInput) : scenario.input;
        const value = expectRight(
          await invoke(harness.provider, scenario.operation, ref, input, scenario.options)(),
        );
        const result = value as {
          provider: string;
          userRef: string;
          state: { status: string; nextAction: { type: string } };
          raw: unknown;
        };
        expect([scenario.name, result.provider]).toEqual([scenario.name, harness.provider.id]);
        expect(typeof result.userRef).toBe('string');
        // Every ref handed out names this provider (docs/migration.md), so it can be routed back.
        const named = parseUserRef(result.userRef);
        expect([scenario.name, E.isRight(named) && named.right.provider]).toEqual([
          scenario.name,
          harness.provider.id,
        ]);
        expect(KYC_STATUSES).toContain(result.state.status);
        expect([scenario.name, result.state.status]).toEqual([scenario.name, scenario.expectedStatus]);
        expect(['redirect', 'submit_verification', 'await_provider', 'contact_support', 'none']).toContain(
          result.state.nextAction.type,
        );
        expectNoLeak(result.raw, needles);
        if (scenario.operation === 'retry') expect(result).toHaveProperty('attempts');
        scenario.check?.(value);
        await harness.afterEach?.();
      }
    });
  });
}

/** Each documented failure mapped to its error kind, keeping the provider code. */
export function describeDocumentedFailures(current: () => ContractSuite): void {
  describe('documented failures', () => {
    it('maps each failure to its error kind, keeping the provider code, without leaking', async () => {
      const { harness, needles } = current();
      for (const scenario of harness.failures) {
        const { ref } = await scenario.arrange();
        const input =
          scenario.operation === 'createUser' ? (scenario.input ?? harness.validInput) : scenario.input;
        const error = expectLeft(
          await invoke(harness.provider, scenario.operation, ref, input, scenario.options)(),
        );
        expect([scenario.name, error.kind]).toEqual([scenario.name, scenario.expectedKind]);
        expect(error.provider).toBe(harness.provider.id);
        expect(typeof error.retryable).toBe('boolean');
        expect(error.message.length).toBeGreaterThan(0);
        if (scenario.expectedCode !== undefined)
          expect([scenario.name, error.providerCode]).toEqual([scenario.name, scenario.expectedCode]);
        if (scenario.expectedRetryable !== undefined)
          expect([scenario.name, error.retryable]).toEqual([scenario.name, scenario.expectedRetryable]);
        expectNoLeak(error, needles);
        await harness.afterEach?.();
      }
    });
  });
}

/** Bad input refused as a validation error naming the field, before any provider call. */
export function describeInputValidation(current: () => ContractSuite): void {
  describe('input validation', () => {
    it('rejects bad input with a validation error naming the field, before any provider call', async () => {
      const { harness, needles } = current();
      expect(harness.invalidInputs.length).toBeGreaterThan(0);
      for (const scenario of harness.invalidInputs) {
        const before = harness.callCount();
        const error = expectLeft(
          await invoke(
            harness.provider,
            scenario.operation,
            scenario.ref,
            scenario.input,
            scenario.options,
          )(),
        );
        expect([scenario.name, error.kind]).toEqual([scenario.name, 'validation']);
        if (error.kind === 'validation') {
          expect([scenario.name, error.issues.map((issue) => issue.path)]).toEqual([
            scenario.name,
            expect.arrayContaining([scenario.expectedPath]),
          ]);
        }
        expect([scenario.name, harness.callCount()]).toEqual([scenario.name, before]);
        expectNoLeak(error, needles);
      }
    });
  });
}

/** Unsupported operations and undeclared retry strategies refused before any call. */
export function describeUnsupported(current: () => ContractSuite): void {
  describe('unsupported operations and strategies', () => {
    it('reports unsupported operations as unsupported, with the reason, before any call', async () => {
      const { harness } = current();
      for (const [operation, support] of Object.entries(harness.provider.capabilities.operations)) {
        if (support.supported) continue;
        const before = harness.callCount();
        const error = expectLeft(
          await invoke(
            harness.provider,
            operation as PortOperation,
            harness.someRef,
            operation === 'createUser' ? harness.validInput : {},
            undefined,
          )(),
        );
        expect([operation, error.kind]).toEqual([operation, 'unsupported']);
        expect(error.message).toContain(support.reason);
        expect(harness.callCount()).toBe(before);
      }
    });

    it('refuses retry strategies it does not declare, before any call', async () => {
      const { harness } = current();
      if (!harness.provider.capabilities.operations.retry.supported) return;
      for (const strategy of ALL_STRATEGIES) {
        if (harness.provider.capabilities.retryStrategies.includes(strategy.kind)) continue;
        const before = harness.callCount();
        const error = expectLeft(await harness.provider.retry(harness.someRef, { strategy })());
        expect([strategy.kind, error.kind]).toEqual([strategy.kind, 'unsupported']);
        expect(harness.callCount()).toBe(before);
      }
    });
  });
}

/** Authentic deliveries accepted with a stable dedupe key; forged, unsigned and malformed ones rejected. */
export function describeWebhooks(current: () => ContractSuite): void {
  describe('webhooks', () => {
    it('accepts an authentic delivery and names the user', async () => {
      const { harness, needles } = current();
      const { request, expectedRef } = await harness.webhookScenarios.authentic();
      const event = expectRight(await harness.webhooks.parseWebhook(request)()) as {
        provider: string;
        userRef: string;
        dedupeKey: string;
        stateIncluded: boolean;
        raw: unknown;
      };
      expect(event.provider).toBe(harness.provider.id);
      expect(event.userRef).toBe(expectedRef);
      expect(event.dedupeKey.length).toBeGreaterThan(0);
      expect(event.stateIncluded).toBe(harness.provider.capabilities.webhooks.carriesState);
      expectNoLeak(event.raw, needles);
    });

    it('gives the same dedupe key to a re-delivery of the same event', async () => {
      const { harness } = current();
      const { request } = await harness.webhookScenarios.authentic();
      const first = expectRight(await harness.webhooks.parseWebhook(request)()) as { dedupeKey: string };
      const again = expectRight(await harness.webhooks.parseWebhook(request)()) as { dedupeKey: string };
      expect(again.dedupeKey).toBe(first.dedupeKey);
    });

    it('rejects forged, unsigned and malformed deliveries as webhook_rejected', async () => {
      const { harness, needles } = current();
      expect(harness.webhookScenarios.rejected.length).toBeGreaterThanOrEqual(2);
      for (const scenario of harness.webhookScenarios.rejected) {
        const error = expectLeft(await harness.webhooks.parseWebhook(await scenario.request())());
        expect([scenario.name, error.kind]).toEqual([scenario.name, 'webhook_rejected']);
        expect(error.retryable).toBe(false);
        expectNoLeak(error, needles);
      }
    });
  });
}
