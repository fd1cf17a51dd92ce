/**
 * Property: every port method answers any ref, input and options with a Right or a typed Left,
 * never a throw or a rejected promise, and input it refuses never costs a request (counted by the
 * nock stand-in for Plu and by the observer).
 */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { UserRefCodec, isKycError } from '@kycport/core';
import type { KycError } from '@kycport/core';
import { PROPERTY_TIMEOUT_MS, anything, cleanNock, fakePlu, hostileText } from './plu-property-support';
import type { FakePlu } from './plu-property-support';
import { buildProvider, validInput } from './plu-test-support';

afterEach(cleanNock);

const OUTCOMES = ['not_sent', 'rejected', 'unknown'];
/** Kinds a call refused before any request may have. */
const LOCAL_KINDS = ['validation', 'unsupported'];

const refs = fc.oneof(
  hostileText,
  fc.constantFrom('acme-user-abc123', 'user-\uD800', '\uDC00x', ' ', '', 'a/b?c#d', 'x'.repeat(257)),
  anything,
);

let madeRequests = 0;
afterAll(() => {
  // Both paths ran: some generated calls were valid and reached the stand-in for Plu.
  expect(madeRequests).toBeGreaterThan(0);
});

const signals = fc.constantFrom<unknown>(
  undefined,
  new AbortController().signal,
  { aborted: false },
  'signal',
  null,
);

/**
 * Call timings: refused ones (0, negative, fractional, too large, not numbers) and accepted ones of
 * at least a second. A valid deadline of a few ms cuts a request short, and nock would count it
 * during the next run, which says nothing about the adapter.
 */
const timing = fc
  .oneof(fc.integer(), fc.double(), anything)
  .filter((value) => typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value >= 1_000);

/** Mostly a known-good value, sometimes a hostile one, so both paths run. */
function mostly<T>(good: T, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: fc.constant(good), weight: 4 }, { arbitrary: bad, weight: 1 });
}

const options = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: anything, weight: 1 },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        signal: mostly(undefined, signals),
        timeoutMs: mostly(undefined, timing),
        deadlineMs: mostly(undefined, timing),
        idempotencyKey: fc.oneof(
          fc.uuid(),
          hostileText,
          fc.constantFrom('a\r\nb', 'ключ', 'k\uD800'),
          anything,
        ),
        strategy: mostly(
          undefined,
          fc.oneof(fc.constant({ kind: 'auto' }), fc.constant({ kind: 'restart' }), anything),
        ),
      },
      { requiredKeys: [] },
    ),
  },
);

const applicant = validInput.applicant;
const inputs = fc.oneof(
  { arbitrary: anything, weight: 1 },
  {
    weight: 4,
    arbitrary: fc.record({
      applicant: fc.record({
        name: mostly(applicant.name, fc.record({ given: hostileText, family: hostileText })),
        email: mostly(applicant.email, fc.oneof(fc.emailAddress(), hostileText)),
        phone: mostly(applicant.phone, hostileText),
        ipAddress: mostly(applicant.ipAddress, fc.oneof(fc.ipV4(), fc.ipV6(), hostileText)),
        address: mostly(applicant.address, anything),
        termsAccepted: mostly(true, anything),
        externalId: mostly(applicant.externalId, anything),
      }),
      providerOptions: mostly(validInput.providerOptions, anything),
    }),
  },
);

/** Requests seen by the stand-in for Plu and attempts told to the observer. */
interface Counters {
  readonly fake: FakePlu;
  readonly observer: { count(): number };
}

/**
 * Runs a port call and checks the contract: typed either way, every error says what the call did,
 * and a call refused before any request (validation, unsupported: `not_sent`) made none.
 */
async function check(
  call: () => Promise<E.Either<KycError, unknown>>,
  counters: Counters,
): Promise<E.Either<KycError, unknown>> {
  const before = { seen: counters.fake.total(), attempts: counters.observer.count() };
  const result = await call();
  const seen = counters.fake.total() - before.seen;
  const attempts = counters.observer.count() - before.attempts;
  expect(E.isLeft(result) || E.isRight(result)).toBe(true);
  // nock counts the requests it answered; an attempt cut short (a 1 ms deadline) may not get there.
  expect(attempts).toBeGreaterThanOrEqual(seen);
  madeRequests += seen;
  if (E.isLeft(result)) {
    expect(isKycError(result.left)).toBe(true);
    expect(OUTCOMES).toContain(result.left.outcome);
    if (LOCAL_KINDS.includes(result.left.kind) && result.left.outcome === 'not_sent') {
      expect(seen).toBe(0);
      expect(attempts).toBe(0);
    }
  }
  return result;
}

describe('property: port inputs never throw, and refused input makes no request', () => {
  it(
    'getStatus and retry with any ref and options',
    async () => {
      const fake = fakePlu();
      const { provider, observer } = buildProvider({}, { transport: { retry: false } });
      await fc.assert(
        fc.asyncProperty(refs, options, async (ref, callOptions) => {
          for (const call of [
            () => provider.getStatus(ref as never, callOptions as never)(),
            () => provider.retry(ref as never, callOptions as never)(),
          ]) {
            const result = await check(call, { fake, observer });
            // A ref that is not a well-formed, non-blank string is refused whatever else is wrong.
            if (!UserRefCodec.is(ref)) expect(E.isLeft(result) && result.left.kind).toBe('validation');
          }
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'createUser with any input and options',
    async () => {
      const fake = fakePlu();
      const { provider, observer } = buildProvider({}, { transport: { retry: false } });
      await fc.assert(
        fc.asyncProperty(inputs, options, async (input, callOptions) => {
          await check(() => provider.createUser(input as never, callOptions as never)(), { fake, observer });
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('refuses a lone-surrogate ref on getStatus and retry as validation, with no request', async () => {
    const fake = fakePlu();
    const { provider } = buildProvider();
    for (const ref of ['\uD800', 'acme-user-\uDBFF', '\uDC00acme']) {
      for (const call of [provider.getStatus(ref as never), provider.retry(ref as never)]) {
        expect(await call()).toMatchObject({
          _tag: 'Left',
          left: { kind: 'validation', outcome: 'not_sent', issues: [{ path: 'ref' }] },
        });
      }
    }
    expect(fake.total()).toBe(0);
  });

  it('answers options that are null, not an object or hold a junk signal without throwing', async () => {
    const fake = fakePlu();
    const { provider } = buildProvider({}, { transport: { retry: false } });
    // null counts as no options: the call goes ahead (the stand-in answers 500).
    expect(await provider.getStatus('acme-user-abc123' as never, null as never)()).toMatchObject({
      _tag: 'Left',
      left: { kind: 'provider_unavailable', outcome: 'rejected' },
    });
    const before = fake.total();
    for (const callOptions of [5, 'options', [], { signal: { aborted: false } }]) {
      for (const call of [
        provider.getStatus('acme-user-abc123' as never, callOptions as never),
        provider.retry('acme-user-abc123' as never, callOptions as never),
        provider.createUser(validInput, callOptions as never),
      ]) {
        expect(await call()).toMatchObject({
          _tag: 'Left',
          left: { kind: 'validation', outcome: 'not_sent' },
        });
      }
    }
    expect(fake.total()).toBe(before);
  });

  it('refuses an idempotency key that cannot be a header, and a signal that is not an AbortSignal', async () => {
    const fake = fakePlu();
    const { provider } = buildProvider();
    for (const [callOptions, path] of [
      [{ idempotencyKey: 'a\r\nx-injected: 1' }, 'options.idempotencyKey'],
      [{ idempotencyKey: 'k\uD800' }, 'options.idempotencyKey'],
      [{ idempotencyKey: '' }, 'options.idempotencyKey'],
      [{ signal: { aborted: false } }, 'options.signal'],
    ] as const) {
      for (const call of [
        provider.createUser(validInput, callOptions as never),
        provider.retry('acme-user-abc123' as never, callOptions as never),
      ]) {
        expect(await call()).toMatchObject({
          _tag: 'Left',
          left: { kind: 'validation', outcome: 'not_sent', issues: [{ path }] },
        });
      }
    }
    expect(fake.total()).toBe(0);
  });
});
