/**
 * `providerOptions.plu` and Plu's event names, typed at compile time (this package's typecheck reads
 * the `@ts-expect-error` lines: each must be an error) and still checked at run time.
 */
import * as E from 'fp-ts/Either';
import type { CreateUserInput, KycEvent, ProviderOptions, RetryOptions } from '@kycport/core';
import {
  PLU_KYC_EVENT,
  PLU_KYC_EVENT_ALIAS,
  createPluWebhookHandler,
  isPluKycEventType,
  toPluCreateUserRequest,
} from '@kycport/plu';
import type { PluProviderOptions, PluWebhookEventType } from '@kycport/plu';
import { WEBHOOK_SECRET, signedDelivery, validInput } from './plu-test-support';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type PluSlice = Exclude<CreateUserInput['providerOptions'], undefined>['plu'];

const applicant = validInput.applicant;
const sliceIsTheCodecType: Same<PluSlice, PluProviderOptions | undefined> = true;

const right: CreateUserInput = {
  applicant,
  providerOptions: {
    plu: {
      program: 'non_custodial',
      walletAddress: '0x52908400098527886E0F7030069857D2E4169EE7',
      accountPurpose: 'personal use',
    },
    // Other providers' slices pass through: one call site for every provider it may be configured with.
    acme: { anything: true },
  },
};
const badEnum: CreateUserInput = {
  applicant,
  // @ts-expect-error `program` is custodial or non_custodial
  providerOptions: { plu: { program: 'custodian' } },
};
const wrongType: CreateUserInput = {
  applicant,
  // @ts-expect-error `accountPurpose` is a string
  providerOptions: { plu: { accountPurpose: 42 } },
};
const misspelt: CreateUserInput = {
  // @ts-expect-error `acountPurpose` is not a Plu option
  providerOptions: { plu: { program: 'custodial', acountPurpose: 'personal use' } },
  applicant,
};
// Plu reads no options on retry: its slice there is untyped.
const retry: RetryOptions = { providerOptions: { plu: { anything: 'goes' } } };

const known: PluWebhookEventType[] = [PLU_KYC_EVENT, PLU_KYC_EVENT_ALIAS, 'user.kyc.approved'];
// @ts-expect-error card events are outside kycport: not a Plu KYC event name
const card: PluWebhookEventType = 'card.created';

describe('typed providerOptions.plu', () => {
  it('types the slice from the codec, and the run-time check still refuses what the type refuses', () => {
    expect(sliceIsTheCodecType).toBe(true);
    expect(E.isRight(toPluCreateUserRequest(right))).toBe(true);
    // An untyped caller (JavaScript, JSON) still reaches the codec: the same values are refused.
    const untyped = (providerOptions: ProviderOptions) =>
      toPluCreateUserRequest({ applicant, providerOptions });
    const paths = (result: ReturnType<typeof toPluCreateUserRequest>) =>
      E.isLeft(result) ? result.left.issues.map((issue) => issue.path) : [];
    expect(paths(untyped({ plu: { program: 'custodian', accountPurpose: 'x' } }))).toContain(
      'providerOptions.plu.program',
    );
    expect(paths(untyped({ plu: { program: 'custodial', accountPurpose: 42 } }))).toContain(
      'providerOptions.plu.accountPurpose',
    );
    expect([badEnum, wrongType, misspelt, retry]).toHaveLength(4);
  });
});

describe('PluWebhookEventType', () => {
  it('names every event the handler gives, and the guard accepts exactly those names', async () => {
    expect(known.every(isPluKycEventType)).toBe(true);
    expect(isPluKycEventType(card)).toBe(false);
    expect(isPluKycEventType('user.kyc.')).toBe(false);
    const handler = createPluWebhookHandler(WEBHOOK_SECRET);
    const parsed = await handler.parseWebhook(
      signedDelivery({
        event: 'rain.user-event',
        timestamp: '2026-01-02T03:04:05Z',
        data: { serviceId: 'svc-1', status: 'approved' },
      }),
    )();
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    const event: KycEvent<PluWebhookEventType> = parsed.right;
    expect(event.type).toBe(PLU_KYC_EVENT_ALIAS);
  });
});
