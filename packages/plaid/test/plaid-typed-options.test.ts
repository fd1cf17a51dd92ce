/**
 * Plaid's typed surface: `providerOptions.plaid` per operation and its event names at compile time
 * (this package's typecheck reads the `@ts-expect-error` lines: each must be an error), still
 * checked at run time; and `isPlaidProvider`, the typed way to Plaid's extra methods from a
 * `KycProvider`.
 */
import * as E from 'fp-ts/Either';
import type { CreateUserInput, KycEvent, KycProvider, ProviderOptions, RetryOptions } from '@kycport/core';
import { createPluProvider } from '@kycport/plu';
import {
  IDENTITY_VERIFICATION_WEBHOOK_TYPE,
  PLAID_IDV_WEBHOOK_CODES,
  createPlaidProvider,
  isPlaidProvider,
  plaidAdapter,
} from '@kycport/plaid';
import type {
  PlaidCreateUserOptions,
  PlaidProvider,
  PlaidRetryOptions,
  PlaidWebhookEventType,
} from '@kycport/plaid';
import {
  NOW_MS,
  activeAttempt,
  checkBody,
  config,
  mockKey,
  plaid,
  resetWire,
  signWebhook,
  validInput,
  webhookBody,
  webhookKey,
  wireProblems,
} from './plaid-test-kit';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type CreateSlice = Exclude<CreateUserInput['providerOptions'], undefined>['plaid'];
type RetrySlice = Exclude<RetryOptions['providerOptions'], undefined>['plaid'];

// Each operation its own codec's type: Plaid refuses another operation's option at run time.
const slices: [
  Same<CreateSlice, PlaidCreateUserOptions | undefined>,
  Same<RetrySlice, PlaidRetryOptions | undefined>,
] = [true, true];

const applicant = validInput.applicant;
const right: CreateUserInput = { applicant, providerOptions: { plaid: { address: 'country_only' } } };
const rightRetry: RetryOptions = {
  providerOptions: { plaid: { expectedAttempts: 2, applicant: { dateOfBirth: '1975-01-18' } } },
};
const retryOptionOnCreate: CreateUserInput = {
  applicant,
  // @ts-expect-error `checkStateFirst` is a retry option, refused on createUser
  providerOptions: { plaid: { checkStateFirst: false } },
};
const badEnum: CreateUserInput = {
  applicant,
  // @ts-expect-error `address` is full or country_only
  providerOptions: { plaid: { address: 'partial' } },
};
const wrongType: RetryOptions = {
  // @ts-expect-error `expectedAttempts` is a number
  providerOptions: { plaid: { expectedAttempts: '2' } },
};
const notSentOnRetry: RetryOptions = {
  // @ts-expect-error Plaid's retry `user` object has no externalId
  providerOptions: { plaid: { applicant: { externalId: 'host-user-2' } } },
};

const statusUpdated: PlaidWebhookEventType = 'IDENTITY_VERIFICATION.STATUS_UPDATED';
// @ts-expect-error the handler refuses every webhook_type but IDENTITY_VERIFICATION
const transfer: PlaidWebhookEventType = 'TRANSFER.TRANSFER_EVENTS_UPDATE';

afterEach(() => {
  expect(wireProblems).toEqual([]);
  resetWire();
});

describe('typed providerOptions.plaid', () => {
  it('types each operation from its codec; the run-time check refuses what the type refuses', async () => {
    expect(slices.every(Boolean)).toBe(true);
    expect([right, rightRetry, retryOptionOnCreate, badEnum, wrongType, notSentOnRetry]).toHaveLength(6);
    const provider = createPlaidProvider(config);
    // An untyped caller (JavaScript, JSON) still reaches the codec, before any request.
    const untyped: ProviderOptions = { plaid: { checkStateFirst: false } };
    const refused = await provider.createUser({ applicant, providerOptions: untyped })();
    expect(E.isLeft(refused) && refused.left.kind === 'validation' && refused.left.issues).toEqual([
      { path: 'providerOptions.plaid.checkStateFirst', message: 'is not a Plaid option' },
    ]);
    provider.close();
  });
});

describe('PlaidWebhookEventType', () => {
  it('is IDENTITY_VERIFICATION.<webhook_code>, documented codes and new ones alike', async () => {
    const key = await webhookKey('kid-typed');
    const provider = createPlaidProvider(config, { now: () => NOW_MS });
    mockKey(key);
    const types: string[] = [];
    for (const code of [...PLAID_IDV_WEBHOOK_CODES, 'A_CODE_PLAID_ADDS_LATER']) {
      plaid()
        .post('/identity_verification/get', checkBody('/identity_verification/get'))
        .reply(200, activeAttempt({ id: 'idv_52xR9LKo77r1Np' }));
      const parsed = await provider.webhooks.parseWebhook(await signWebhook(key, webhookBody(code)))();
      if (E.isLeft(parsed)) throw new Error(parsed.left.message);
      const event: KycEvent<PlaidWebhookEventType> = parsed.right;
      types.push(event.type);
    }
    expect(types).toEqual([
      statusUpdated,
      'IDENTITY_VERIFICATION.STEP_UPDATED',
      'IDENTITY_VERIFICATION.RETRIED',
      `${IDENTITY_VERIFICATION_WEBHOOK_TYPE}.A_CODE_PLAID_ADDS_LATER`,
    ]);
    expect(types).not.toContain(transfer);
    provider.close();
  });
});

describe('isPlaidProvider', () => {
  it('narrows a KycProvider to Plaid’s methods when it is Plaid’s, and only then', async () => {
    const built = plaidAdapter.create(config);
    // What a container's KYC_TOKENS.KycProvider resolves to when Plaid is its one provider.
    const resolved: KycProvider = built.provider;
    expect(isPlaidProvider(resolved)).toBe(true);
    if (!isPlaidProvider(resolved)) throw new Error('expected the Plaid provider');
    const refused = await resolved.resolvePlaidEvent({} as KycEvent)();
    expect(E.isLeft(refused) && refused.left.kind).toBe('validation');
    const direct: PlaidProvider = createPlaidProvider(config);
    expect(isPlaidProvider(direct)).toBe(true);

    const plu = createPluProvider({ apiKey: 'sk_staging_typed_guard', environment: 'staging' });
    expect(isPlaidProvider(plu)).toBe(false);
    // A router over Plaid and others is not Plaid: it has no getVerification or resolvePlaidEvent.
    const portOnly: KycProvider = {
      id: 'router',
      capabilities: direct.capabilities,
      createUser: direct.createUser,
      retry: direct.retry,
      getStatus: direct.getStatus,
      submitVerification: direct.submitVerification,
    };
    expect(isPlaidProvider(portOnly)).toBe(false);
    expect(isPlaidProvider({ ...direct, id: 'router' })).toBe(false);
    expect(isPlaidProvider(null as unknown as KycProvider)).toBe(false);
    [built, direct, plu].forEach((closable) => closable.close());
  });
});
