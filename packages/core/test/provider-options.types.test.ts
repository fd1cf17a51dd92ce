/**
 * Compile-time checks, read by this package's typecheck (`tsc -p packages/core/tsconfig.json`):
 * with no adapter package in the program, every `providerOptions` slice is `unknown` (anything
 * compiles, the adapter checks it at run time), and events and handlers default to `string` types.
 * Nothing here may import an adapter package: importing one turns its slices on for the program.
 */
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import { CreateUserInputCodec, toPromiseWebhookHandler, userRef } from '@kycport/core';
import type {
  CreateUserInput,
  KycCreateUserProviderOptions,
  KycError,
  KycEvent,
  KycProviderWithWebhooks,
  KycRetryProviderOptions,
  KycSubmitVerificationProviderOptions,
  KycWebhookEventType,
  KycWebhookHandler,
  RetryOptions,
  SubmitVerificationInput,
  TypedProviderOptions,
} from '@kycport/core';

/** `true` only for `unknown` (not `any`). */
type IsUnknown<T> = 0 extends 1 & T ? false : unknown extends T ? true : false;
/** `true` when the two types are the same. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type CreateSlices = Exclude<CreateUserInput['providerOptions'], undefined>;
type RetrySlices = Exclude<RetryOptions['providerOptions'], undefined>;
type SubmitSlices = Exclude<SubmitVerificationInput['providerOptions'], undefined>;

const untyped: [
  Same<keyof KycCreateUserProviderOptions, never>,
  Same<keyof KycRetryProviderOptions, never>,
  Same<keyof KycSubmitVerificationProviderOptions, never>,
  IsUnknown<CreateSlices['plu']>,
  IsUnknown<RetrySlices['p100']>,
  IsUnknown<SubmitSlices['plaid']>,
  IsUnknown<CreateSlices['acme']>,
] = [true, true, true, true, true, true, true];

// Any value compiles for any provider id while no adapter is imported.
const input: CreateUserInput = {
  applicant: { externalId: 'user-42' },
  providerOptions: { plu: { program: 42 }, p100: 'anything', acme: { tier: 'gold' } },
};
const retry: RetryOptions = { providerOptions: { plaid: { checkStateFirst: 'no' } } };
const submit: SubmitVerificationInput = { providerOptions: { p100: null } };

// A known slice is optional and typed; every other id stays `unknown`.
type Known = TypedProviderOptions<{ readonly acme: { readonly tier: 'gold' | 'silver' } }>;
const known: Known = { acme: { tier: 'gold' }, other: 1 };
// @ts-expect-error a value outside the slice's type does not compile
const wrongTier: Known = { acme: { tier: 'bronze' } };
// @ts-expect-error a misspelt key inside the slice does not compile
const misspelt: Known = { acme: { tier: 'gold', teir: 'gold' } };
const alsoUnknown: IsUnknown<Known['other']> = true;

// Events and handlers: `string` unless the handler says otherwise.
const defaults: [
  Same<KycEvent['type'], string>,
  Same<KycWebhookEventType<KycWebhookHandler>, string>,
  Same<KycWebhookEventType<KycProviderWithWebhooks>, string>,
  Same<KycWebhookEventType<KycWebhookHandler<'a.b'>>, 'a.b'>,
  Same<KycWebhookEventType<KycProviderWithWebhooks<'a.b'> | KycProviderWithWebhooks<'c.d'>>, 'a.b' | 'c.d'>,
] = [true, true, true, true, true];

const event: KycEvent<'a.b' | 'c.d'> = {
  provider: 'acme',
  type: 'a.b',
  dedupeKey: 'acme:1',
  dedupeKeyStrength: 'exact',
  userRef: userRef('acme:u-1'),
  raw: {},
  stateIncluded: false,
};
// @ts-expect-error an event name outside the handler's union does not compile
const foreign: KycEvent<'a.b' | 'c.d'> = { ...event, type: 'e.f' };
const typed: KycWebhookHandler<'a.b' | 'c.d'> = {
  provider: 'acme',
  parseWebhook: (): TaskEither<KycError, KycEvent<'a.b' | 'c.d'>> => async () => E.right(event),
};
// A typed handler is still a `KycWebhookHandler` (what the container's token holds).
const widened: KycWebhookHandler = typed;

describe('typed providerOptions and events, with no adapter imported', () => {
  it('compiles (the checks above are type-level) and leaves run-time validation to the adapters', async () => {
    expect(untyped.every(Boolean) && defaults.every(Boolean) && alsoUnknown).toBe(true);
    // Core checks only that providerOptions is a record; each adapter decodes its own slice.
    expect(E.isRight(CreateUserInputCodec.decode(input))).toBe(true);
    expect([retry, submit, known, wrongTier, misspelt, foreign, widened]).toHaveLength(7);
    const promised = toPromiseWebhookHandler(typed);
    const parsed: KycEvent<'a.b' | 'c.d'> = await promised.parseWebhook({ headers: {}, rawBody: '' });
    expect(parsed.type).toBe('a.b');
  });
});
