/**
 * The shared contract every adapter passes (and third-party adapters can run): each port's happy
 * path, documented failures mapped to the right kind, bad input rejected before any call,
 * unsupported operations reported as such, webhooks accepted only when authentic, and no secret or
 * personal data in any error.
 */
import { inspect } from 'node:util';
import type { Either } from 'fp-ts/Either';
import { KYC_STATUSES, isKycError } from '@kycport/core';
import type {
  CreateUserInput,
  KycError,
  KycProvider,
  RetryOptions,
  RetryStrategy,
  SubmitVerificationInput,
  UserRef,
} from '@kycport/core';
import type { ContractHarness, PortOperation } from './harness';

type Run = () => Promise<Either<KycError, unknown>>;

function invoke(
  provider: KycProvider,
  operation: PortOperation,
  ref: UserRef | undefined,
  input: unknown,
  options: unknown,
): Run {
  switch (operation) {
    case 'createUser':
      return provider.createUser(input as CreateUserInput, options as RetryOptions);
    case 'getStatus':
      return provider.getStatus(ref as UserRef, options as RetryOptions);
    case 'retry':
      return provider.retry(ref as UserRef, options as RetryOptions);
    case 'submitVerification':
      return provider.submitVerification(
        ref as UserRef,
        (input ?? {}) as SubmitVerificationInput,
        options as RetryOptions,
      );
  }
}

/** Strings of personal data found in an applicant (to prove none leaks into errors). */
export function personalDataOf(input: CreateUserInput): string[] {
  const applicant = input.applicant;
  const values = [
    applicant.email,
    applicant.phone,
    applicant.dateOfBirth,
    applicant.address?.line1,
    applicant.address?.postalCode,
    applicant.idNumber?.value,
    applicant.name?.family,
    applicant.ipAddress,
  ];
  return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

/** Fails when any of `needles` appears in the error's JSON or `util.inspect` output. */
export function expectNoLeak(error: unknown, needles: ReadonlyArray<string>): void {
  const renderings = [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
  for (const needle of needles) {
    for (const rendering of renderings) {
      if (rendering.includes(needle)) {
        throw new Error(
          `a secret or personal value leaked into an error rendering (${needle.length} characters)`,
        );
      }
    }
  }
}

function expectLeft(result: Either<KycError, unknown>): KycError {
  if (result._tag === 'Right') throw new Error('expected the call to fail with a KycError, but it succeeded');
  expect(isKycError(result.left)).toBe(true);
  return result.left;
}

function expectRight(result: Either<KycError, unknown>): unknown {
  if (result._tag === 'Left') {
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  }
  return result.right;
}

const ALL_STRATEGIES: ReadonlyArray<RetryStrategy> = [
  { kind: 'auto' },
  { kind: 'restart' },
  { kind: 'resume' },
  {
    kind: 'custom',
    steps: { verifySms: false, kycCheck: true, documentaryVerification: true, selfieCheck: false },
  },
];

export function describeKycProviderContract(
  name: string,
  setup: () => ContractHarness | Promise<ContractHarness>,
): void {
  describe(`${name}: KycProvider contract`, () => {
    let harness: ContractHarness;
    let needles: string[] = [];

    beforeAll(async () => {
      harness = await setup();
      needles = [...harness.secrets, ...personalDataOf(harness.validInput)];
    });
    afterEach(async () => {
      await harness.afterEach?.();
    });
    afterAll(async () => {
      await harness?.close?.();
    });

    it('declares capabilities that agree with its retry strategies', () => {
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

    describe('happy paths', () => {
      it('has a scenario for every supported operation', () => {
        const covered = new Set(harness.successes.map((scenario) => scenario.operation));
        for (const [operation, support] of Object.entries(harness.provider.capabilities.operations)) {
          if (support.supported)
            expect([operation, covered.has(operation as PortOperation)]).toEqual([operation, true]);
        }
      });

      it('returns the documented state for each success scenario', async () => {
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
          expect(result.userRef.length).toBeGreaterThan(0);
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

    describe('documented failures', () => {
      it('maps each failure to its error kind, keeping the provider code, without leaking', async () => {
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

    describe('input validation', () => {
      it('rejects bad input with a validation error naming the field, before any provider call', async () => {
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

    describe('unsupported operations and strategies', () => {
      it('reports unsupported operations as unsupported, with the reason, before any call', async () => {
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

    describe('webhooks', () => {
      it('accepts an authentic delivery and names the user', async () => {
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
        const { request } = await harness.webhookScenarios.authentic();
        const first = expectRight(await harness.webhooks.parseWebhook(request)()) as { dedupeKey: string };
        const again = expectRight(await harness.webhooks.parseWebhook(request)()) as { dedupeKey: string };
        expect(again.dedupeKey).toBe(first.dedupeKey);
      });

      it('rejects forged, unsigned and malformed deliveries as webhook_rejected', async () => {
        expect(harness.webhookScenarios.rejected.length).toBeGreaterThanOrEqual(2);
        for (const scenario of harness.webhookScenarios.rejected) {
          const error = expectLeft(await harness.webhooks.parseWebhook(await scenario.request())());
          expect([scenario.name, error.kind]).toEqual([scenario.name, 'webhook_rejected']);
          expect(error.retryable).toBe(false);
          expectNoLeak(error, needles);
        }
      });
    });
  });
}
