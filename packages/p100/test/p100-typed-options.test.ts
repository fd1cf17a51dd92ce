/**
 * `providerOptions.p100` and P100's event names, typed at compile time (this package's typecheck
 * reads the `@ts-expect-error` lines: each must be an error) and still checked at run time.
 */
import * as E from 'fp-ts/Either';
import type {
  CreateUserInput,
  KycEvent,
  ProviderOptions,
  RetryOptions,
  SubmitVerificationInput,
} from '@kycport/core';
import { P100_WEBHOOK_EVENT_TYPES, parseP100WebhookBody } from '@kycport/p100';
import type { P100ProviderOptions, P100WebhookEventType } from '@kycport/p100';
import { USER_REF, buildProvider, hostedOptions, validInput } from './support';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Slice<Options> =
  Exclude<Options, undefined> extends { readonly p100?: unknown }
    ? Exclude<Options, undefined>['p100']
    : never;

// The same codec type on every operation that reads the slice.
const slices: [
  Same<Slice<CreateUserInput['providerOptions']>, P100ProviderOptions | undefined>,
  Same<Slice<RetryOptions['providerOptions']>, P100ProviderOptions | undefined>,
  Same<Slice<SubmitVerificationInput['providerOptions']>, P100ProviderOptions | undefined>,
] = [true, true, true];

const applicant = validInput.applicant;
const right: CreateUserInput = { applicant, providerOptions: { p100: hostedOptions, acme: 1 } };
const rightRetry: RetryOptions = { providerOptions: { p100: { replacePendingAttempt: true } } };
const rightSubmit: SubmitVerificationInput = {
  providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'OTHER', additionalInfo: 'x' } },
};
const badEnum: CreateUserInput = {
  applicant,
  // @ts-expect-error `LOTTERY` is not one of P100's income sources
  providerOptions: { p100: { ...hostedOptions, incomeSource: 'LOTTERY' } },
};
const wrongType: RetryOptions = {
  // @ts-expect-error `replacePendingAttempt` is a boolean
  providerOptions: { p100: { replacePendingAttempt: 'yes' } },
};
const misspelt: SubmitVerificationInput = {
  // @ts-expect-error `incomeSorce` is not a P100 option
  providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSorce: 'OTHER' } },
};

const names: P100WebhookEventType[] = Object.values(P100_WEBHOOK_EVENT_TYPES);
// @ts-expect-error P100's handler gives none but the four names of P100_WEBHOOK_EVENT_TYPES
const other: P100WebhookEventType = 'kyc.document_added';

describe('typed providerOptions.p100', () => {
  it('types the slice from the codec, and the run-time check still refuses what the type refuses', async () => {
    expect(slices.every(Boolean)).toBe(true);
    expect([right, rightRetry, rightSubmit, badEnum, wrongType, misspelt]).toHaveLength(6);
    const { provider, observer } = buildProvider();
    // An untyped caller (JavaScript, JSON) still reaches the codec, before any request.
    const untyped: ProviderOptions = { p100: { ...hostedOptions, incomeSource: 'LOTTERY' } };
    const refused = await provider.createUser({ applicant, providerOptions: untyped })();
    expect(E.isLeft(refused) && refused.left.kind === 'validation' && refused.left.issues).toEqual([
      expect.objectContaining({ path: 'providerOptions.p100.incomeSource' }),
    ]);
    const retried = await provider.retry(USER_REF, {
      providerOptions: { p100: { replacePendingAttempt: 'yes' } } as ProviderOptions,
    })();
    expect(E.isLeft(retried) && retried.left.kind).toBe('validation');
    expect(observer.count()).toBe(0);
  });
});

describe('P100WebhookEventType', () => {
  it('is what the parser gives, for each payload shape', () => {
    const bodies = [
      { externalUserId: 'u-1', verificationStatus: 'VERIFIED', attemptStatus: 'SUCCESSFUL' },
      { externalUserId: 'u-1', status: 'ADDED' },
      { externalUserId: 'u-1', status: 'APPROVED' },
      { externalUserId: 'u-1', status: 'SOMETHING_NEW' },
    ];
    const types = bodies.map((body) => {
      const parsed = parseP100WebhookBody(JSON.stringify(body));
      if (E.isLeft(parsed)) throw new Error(parsed.left.message);
      const event: KycEvent<P100WebhookEventType> = parsed.right;
      return event.type;
    });
    expect(types).toEqual(names);
    expect(names).not.toContain(other);
  });
});
