/**
 * Property tests (issue 11): any ref, input or call options given to a port method give a `Right`
 * or a typed `Left` with an `outcome`, never a throw or a rejection, and an input refused as
 * invalid makes no request. Requests that do go out meet no interceptor (net connect is disabled).
 */
import * as fc from 'fast-check';
import nock from 'nock';
import { isKycError } from '@kycport/core';
import type { KycError, KycProvider } from '@kycport/core';
import { buildProvider, bytes, hostedOptions, validInput, propertyTimeoutMs } from './support';

/** Strings with lone surrogates and control characters, where most bugs hide. */
const hostileText = fc.string({ unit: 'binary' });
const anything = fc.oneof(fc.anything(), hostileText, fc.object({ values: [hostileText, fc.anything()] }));

const callOptions = fc.oneof(
  fc.constant(undefined),
  anything,
  fc.record(
    {
      timeoutMs: fc.oneof(fc.integer(), fc.double(), anything),
      deadlineMs: fc.oneof(fc.integer(), anything),
      signal: anything,
      idempotencyKey: hostileText,
    },
    { requiredKeys: [] },
  ),
);

const p100Options = fc.oneof(
  anything,
  fc.constant({ p100: hostedOptions }),
  fc.record({ p100: fc.dictionary(fc.constantFrom(...Object.keys(hostedOptions), 'country'), anything) }),
);

const createInput = fc.oneof(
  anything,
  fc
    .record({
      externalId: fc.oneof(hostileText, anything),
      email: fc.oneof(hostileText, fc.constant(validInput.applicant.email)),
      country: hostileText,
      providerOptions: p100Options,
    })
    .map(({ externalId, email, country, providerOptions }) => ({
      applicant: {
        ...validInput.applicant,
        externalId,
        email,
        address: { ...validInput.applicant.address, country },
      },
      providerOptions,
    })),
);

const file = fc.record(
  {
    purpose: fc.oneof(
      fc.constantFrom('document_front', 'document_back', 'selfie', 'proof_of_address'),
      hostileText,
    ),
    fileName: hostileText,
    contentType: fc.oneof(fc.constantFrom('image/jpeg', 'application/pdf'), hostileText),
    data: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(bytes(8)), anything),
  },
  { requiredKeys: [] },
);
const submitInput = fc.oneof(
  anything,
  fc.record(
    {
      files: fc.oneof(fc.array(file, { maxLength: 4 }), anything),
      document: fc.oneof(
        fc.record(
          { type: fc.constantFrom('passport', 'id_card'), number: hostileText },
          { requiredKeys: [] },
        ),
        anything,
      ),
      providerOptions: p100Options,
    },
    { requiredKeys: [] },
  ),
);
const retryOptions = fc.oneof(
  callOptions,
  fc.record(
    {
      strategy: fc.oneof(fc.constant({ kind: 'auto' }), anything),
      providerOptions: p100Options,
      timeoutMs: fc.oneof(fc.integer(), anything),
    },
    { requiredKeys: [] },
  ),
);
const ref = fc.oneof(hostileText, anything);

/** A typed answer; an error says what it did and, refused as invalid, made no request. */
async function expectTyped(run: () => Promise<unknown>, requests: () => number): Promise<void> {
  const before = requests();
  const result = (await run()) as { _tag: 'Left'; left: KycError } | { _tag: 'Right'; right: unknown };
  expect(['Left', 'Right']).toContain(result._tag);
  if (result._tag === 'Right') return;
  expect(isKycError(result.left)).toBe(true);
  expect(['not_sent', 'rejected', 'unknown']).toContain(result.left.outcome);
  if (['validation', 'unsupported'].includes(result.left.kind)) expect(requests()).toBe(before);
}

const TIMEOUT_MS = propertyTimeoutMs(20);

describe('property: every P100 port method answers any input with a Right or a typed Left', () => {
  let provider: KycProvider & { close(): void };
  let requests: () => number;
  beforeAll(() => {
    const built = buildProvider({}, { retry: false });
    provider = built.provider;
    requests = () => built.observer.count();
  });
  afterAll(() => provider.close());
  afterEach(() => nock.cleanAll());

  it(
    'createUser',
    async () => {
      await fc.assert(
        fc.asyncProperty(createInput, callOptions, (input, options) =>
          expectTyped(() => provider.createUser(input as never, options as never)(), requests),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'getStatus',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, callOptions, (value, options) =>
          expectTyped(() => provider.getStatus(value as never, options as never)(), requests),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'retry',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, retryOptions, (value, options) =>
          expectTyped(() => provider.retry(value as never, options as never)(), requests),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'submitVerification',
    async () => {
      await fc.assert(
        fc.asyncProperty(ref, submitInput, callOptions, (value, input, options) =>
          expectTyped(
            () => provider.submitVerification(value as never, input as never, options as never)(),
            requests,
          ),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'a ref with a lone surrogate is refused for every method that takes one, before any call',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileText, fc.constantFrom('\uD800', '\uDFFF'), async (text, surrogate) => {
          const bad = `${text}${surrogate}` as never;
          const before = requests();
          for (const task of [
            provider.getStatus(bad),
            provider.retry(bad, { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } }),
            provider.submitVerification(bad, {}),
            provider.createUser({ ...validInput, applicant: { ...validInput.applicant, externalId: bad } }),
          ]) {
            const result = await task();
            expect(result._tag === 'Left' && [result.left.kind, result.left.outcome]).toEqual([
              'validation',
              'not_sent',
            ]);
          }
          expect(requests()).toBe(before);
        }),
      );
    },
    TIMEOUT_MS,
  );
});
