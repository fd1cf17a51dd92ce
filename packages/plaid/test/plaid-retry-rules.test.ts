/**
 * Issue 12: `retry` true to Plaid's documents (seed `plaid-identity-verification-retry.txt`, digest
 * `providers/plaid.md` § 2.5): the `user` object it may carry, the strategy rules checked on the
 * newest attempt before anything is sent, and Plaid's refusals told apart by what the answer says.
 */
import * as E from 'fp-ts/Either';
import type { KycError, RetryOptions, RetryResult, RetryStrategy } from '@kycport/core';
import { countingObserver } from '@kycport/testing';
import { createPlaidProvider } from '../src/plaid-adapter';
import type { PlaidProvider } from '../src/plaid-provider';
import {
  SECRET,
  activeAttempt,
  attempt,
  checkBody,
  config,
  failedAttempt,
  plaid,
  plaidError,
  plaidRef,
  recorded,
  resetWire,
  wireProblems,
  mockList,
} from './plaid-test-kit';

const REF = plaidRef('host-user-1');

let provider: PlaidProvider;
let observer: ReturnType<typeof countingObserver>;

beforeEach(() => {
  observer = countingObserver();
  provider = createPlaidProvider(config, { observer, transport: { sleep: async () => undefined } });
});
afterEach(() => {
  provider.close();
  expect(wireProblems).toEqual([]);
  resetWire();
});

const retryReplies = (attemptAnswer: Record<string, unknown> = activeAttempt({ id: 'idv_retried0000001' })) =>
  plaid()
    .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
    .reply(200, attemptAnswer);

const sent = (path: string) => observer.events.filter((event) => event.pathTemplate === path).length;
const retryBody = () => recorded.find((request) => request.path === '/identity_verification/retry')?.body;

function right(result: E.Either<KycError, RetryResult>): RetryResult {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

function left(result: E.Either<KycError, unknown>): KycError {
  if (E.isRight(result)) throw new Error('expected a KycError');
  return result.left;
}

const CUSTOM: RetryStrategy = {
  kind: 'custom',
  steps: { verifySms: false, kycCheck: true, documentaryVerification: true, selfieCheck: false },
};

describe('Plaid retry: corrected identity data (`user`, providerOptions.plaid.applicant)', () => {
  it('sends the applicant fields as Plaid’s user object, mapped as createUser maps them', async () => {
    mockList([failedAttempt('kyc_check')]);
    retryReplies();
    right(
      await provider.retry(REF, {
        strategy: { kind: 'resume' },
        providerOptions: {
          plaid: {
            applicant: {
              name: { given: 'Leslie', family: 'Knope', middle: 'Barbara' },
              dateOfBirth: '1975-01-18',
              phone: '+12345678909',
              email: 'leslie.knope@example.com',
              address: {
                line1: '123 Main St.',
                city: 'Pawnee',
                region: 'IN',
                postalCode: '46001',
                country: 'US',
              },
              idNumber: { type: 'us_ssn', value: '123-45-6789' },
            },
          },
        },
      })(),
    );
    // The body is checked against the published IdentityVerificationRetryRequest schema (checkBody).
    expect(retryBody()).toEqual({
      client_user_id: 'host-user-1',
      template_id: config.templateId,
      strategy: 'incomplete',
      user: {
        name: { given_name: 'Leslie', family_name: 'Knope' },
        date_of_birth: '1975-01-18',
        phone_number: '+12345678909',
        email_address: 'leslie.knope@example.com',
        address: {
          street: '123 Main St.',
          city: 'Pawnee',
          region: 'IN',
          postal_code: '46001',
          country: 'US',
        },
        id_number: { type: 'us_ssn', value: '123456789' },
      },
    });
  });

  it('sends only the fields given, the address as country only when asked, and no user when empty', async () => {
    mockList([failedAttempt('kyc_check')]);
    retryReplies();
    right(
      await provider.retry(REF, {
        strategy: { kind: 'restart' },
        providerOptions: {
          plaid: {
            address: 'country_only',
            applicant: {
              dateOfBirth: '1975-01-18',
              address: { line1: 'x', city: 'y', country: 'US' },
            },
          },
        },
      })(),
    );
    expect(retryBody()).toMatchObject({
      strategy: 'reset',
      user: { date_of_birth: '1975-01-18', address: { country: 'US' } },
    });
    expect(Object.keys(retryBody()?.user as object).sort()).toEqual(['address', 'date_of_birth']);

    resetWire();
    mockList([failedAttempt('kyc_check')]);
    retryReplies();
    right(await provider.retry(REF, { strategy: CUSTOM, providerOptions: { plaid: { applicant: {} } } })());
    expect(retryBody()).not.toHaveProperty('user');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a US postal code that is not 5 digits',
      { address: { line1: '1 Main St', city: 'Pawnee', postalCode: '4600', country: 'US' } },
      'providerOptions.plaid.applicant.address.postalCode',
    ],
    ['a phone number not in E.164', { phone: '555-1234' }, 'providerOptions.plaid.applicant.phone'],
    [
      'an id number type Plaid does not know',
      { idNumber: { type: 'national_id', value: '123' } },
      'providerOptions.plaid.applicant.idNumber.type',
    ],
    ['an email with spaces', { email: 'leslie knope@example.com' }, 'providerOptions.plaid.applicant.email'],
    [
      'a name without a family name',
      { name: { given: 'Leslie' } },
      'providerOptions.plaid.applicant.name.family',
    ],
    [
      'the client_user_id (it cannot change on retry)',
      { externalId: 'someone-else' },
      'providerOptions.plaid.applicant.externalId',
    ],
    [
      'a field Plaid’s user object does not have',
      { nationality: 'US' },
      'providerOptions.plaid.applicant.nationality',
    ],
  ])('refuses %s before any request, naming the path and never the value', async (_name, applicant, path) => {
    const options: RetryOptions = { providerOptions: { plaid: { applicant } } };
    const error = left(await provider.retry(REF, options)());
    expect(error).toMatchObject({ kind: 'validation', outcome: 'not_sent', retryable: false });
    expect(error.kind === 'validation' && error.issues.map((issue) => issue.path)).toContain(path);
    expect(observer.count()).toBe(0);
    const text = JSON.stringify(error);
    for (const value of ['555-1234', '4600', 'leslie knope', 'someone-else', 'national_id']) {
      expect(text).not.toContain(value);
    }
  });

  it('refuses an applicant that is not an object', async () => {
    // @ts-expect-error the compile-time type refuses it too; the run-time check is what is tested
    const error = left(await provider.retry(REF, { providerOptions: { plaid: { applicant: 'Leslie' } } })());
    expect(error).toMatchObject({
      kind: 'validation',
      issues: [{ path: 'providerOptions.plaid.applicant' }],
    });
    expect(observer.count()).toBe(0);
  });
});

/** An attempt in `status` whose `step` has `value` (the rest as Plaid's example: success). */
const withStep = (status: string, step: string, value: string) =>
  attempt({ id: 'idv_latest00000001', status, steps: { [step]: value } });

describe('Plaid retry: the documented strategy rules, checked on the newest attempt', () => {
  // "infer - If the most recent Identity Verification attempt ... has a status of failed or expired,
  // retry using the incomplete strategy" and "The incomplete strategy cannot be applied if the
  // session's failing step is screening or risk_check".
  it.each([
    ['failed', 'watchlist_screening', 'failed'],
    ['failed', 'risk_check', 'failed'],
    ['failed', 'risk_check', 'manually_rejected'],
    ['expired', 'watchlist_screening', 'failed'],
    ['expired', 'risk_check', 'failed'],
  ])(
    'refuses auto (infer -> incomplete) on a %s attempt whose %s is %s: invalid_state, no /retry',
    async (status, step, value) => {
      mockList([withStep(status, step, value)]);
      const error = left(await provider.retry(REF, { strategy: { kind: 'auto' } })());
      expect(error).toMatchObject({
        kind: 'invalid_state',
        outcome: 'not_sent',
        retryable: false,
        userRef: REF,
      });
      expect(error.message).toMatch(/incomplete/);
      expect(sent('/identity_verification/list')).toBe(1);
      expect(sent('/identity_verification/retry')).toBe(0);
    },
  );

  it.each([
    ['active', 'risk_check', 'failed'],
    ['failed', 'watchlist_screening', 'failed'],
    ['success', 'risk_check', 'manually_rejected'],
    ['pending_review', 'risk_check', 'failed'],
  ])(
    'refuses resume (incomplete) on a %s attempt whose %s is %s, with no /retry',
    async (status, step, value) => {
      mockList([withStep(status, step, value)]);
      const error = left(await provider.retry(REF, { strategy: { kind: 'resume' } })());
      expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
      expect(sent('/identity_verification/retry')).toBe(0);
    },
  );

  it('refuses auto while the newest attempt is active, with no /retry', async () => {
    mockList([activeAttempt()]);
    const error = left(await provider.retry(REF, { strategy: { kind: 'auto' } })());
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
    expect(sent('/identity_verification/retry')).toBe(0);
  });

  // Otherwise infer is reset, which the documents do not restrict; reset and custom have no rule.
  it.each<[string, string, string, string, RetryStrategy]>([
    ['auto on success (infer -> reset)', 'success', 'risk_check', 'success', { kind: 'auto' }],
    ['auto on canceled (reset), risk check failed', 'canceled', 'risk_check', 'failed', { kind: 'auto' }],
    [
      'auto on pending_review (reset)',
      'pending_review',
      'watchlist_screening',
      'pending_review',
      { kind: 'auto' },
    ],
    ['auto on a status Plaid adds later (reset)', 'on_hold', 'risk_check', 'failed', { kind: 'auto' }],
    ['auto on failed at kyc_check (incomplete)', 'failed', 'kyc_check', 'failed', { kind: 'auto' }],
    ['restart after a failed risk check', 'failed', 'risk_check', 'failed', { kind: 'restart' }],
    ['restart while active', 'active', 'verify_sms', 'active', { kind: 'restart' }],
    ['custom after a failed screening', 'failed', 'watchlist_screening', 'failed', CUSTOM],
    ['custom while active', 'active', 'verify_sms', 'active', CUSTOM],
    [
      'resume on failed at documentary_verification',
      'failed',
      'documentary_verification',
      'failed',
      { kind: 'resume' },
    ],
  ])('sends %s', async (_name, status, step, value, strategy) => {
    mockList([withStep(status, step, value)]);
    retryReplies();
    right(await provider.retry(REF, { strategy })());
    expect(sent('/identity_verification/retry')).toBe(1);
  });
});

describe('Plaid retry: refusals told apart by what Plaid answers', () => {
  const refusal = (message: string | null, display: string | null = null, type = 'INVALID_REQUEST') =>
    plaidError(type, 'INVALID_FIELD', { error_message: message, display_message: display });
  const noLookup: RetryOptions = {
    strategy: { kind: 'restart' },
    providerOptions: { plaid: { checkStateFirst: false } },
  };

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown client_user_id',
      refusal(`client_user_id ${SECRET} does not match any Identity Verification`),
      'not_found',
    ],
    [
      'an unknown template_id',
      refusal('template_id idvtmp_x does not match any Identity Verification template'),
      'config',
    ],
    [
      'a user field Plaid refuses',
      refusal('user.id_number.value is not valid for the given type'),
      'validation',
    ],
    [
      'a strategy refused for the attempt state',
      refusal('the infer strategy cannot be applied while the session is still active'),
      'invalid_state',
    ],
    ['a display message naming the template', refusal(null, 'template_id: no such template'), 'config'],
  ])(
    'maps a 400 INVALID_FIELD naming %s to the right kind, code kept, text never copied',
    async (_name, body, kind) => {
      plaid()
        .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
        .reply(400, body);
      const error = left(await provider.retry(REF, noLookup)());
      expect(error).toMatchObject({
        kind,
        outcome: 'rejected',
        retryable: false,
        providerCode: 'INVALID_FIELD',
        httpStatus: 400,
      });
      if (kind === 'config') expect(error).toMatchObject({ issues: [{ path: 'templateId' }] });
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain('idvtmp_x');
      expect(sent('/identity_verification/retry')).toBe(1);
    },
  );

  it('after a refusal that names nothing (no lookup before), reads the list once to tell an unknown user', async () => {
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(400, refusal('the request could not be applied'));
    mockList([]);
    const error = left(await provider.retry(REF, noLookup)());
    expect(error).toMatchObject({ kind: 'not_found', outcome: 'rejected', providerCode: 'INVALID_FIELD' });
    expect(sent('/identity_verification/retry')).toBe(1);
    expect(sent('/identity_verification/list')).toBe(1);
  });

  it('after a refusal that names nothing, a list refusing the template makes it config', async () => {
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(400, refusal('the request could not be applied'));
    plaid()
      .post('/identity_verification/list', checkBody('/identity_verification/list'))
      .reply(400, refusal('the request could not be applied'));
    const error = left(await provider.retry(REF, noLookup)());
    expect(error).toMatchObject({ kind: 'config', outcome: 'rejected', issues: [{ path: 'templateId' }] });
  });

  it('after a refusal that names nothing, a user with attempts keeps invalid_state (also when the read fails)', async () => {
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(400, refusal('the request could not be applied'));
    mockList([activeAttempt()]);
    expect(left(await provider.retry(REF, noLookup)())).toMatchObject({
      kind: 'invalid_state',
      outcome: 'rejected',
      providerCode: 'INVALID_FIELD',
    });

    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(400, refusal('the request could not be applied'));
    plaid()
      .post('/identity_verification/list')
      .times(3)
      .reply(503, plaidError('API_ERROR', 'PLANNED_MAINTENANCE'));
    expect(left(await provider.retry(REF, noLookup)())).toMatchObject({
      kind: 'invalid_state',
      outcome: 'rejected',
    });
  });

  it('with the lookup before /retry, a refusal that names nothing is invalid_state without another read', async () => {
    mockList([failedAttempt('kyc_check')]);
    plaid()
      .post('/identity_verification/retry', checkBody('/identity_verification/retry'))
      .reply(400, refusal('the request could not be applied'));
    const error = left(await provider.retry(REF, { strategy: { kind: 'restart' } })());
    expect(error).toMatchObject({ kind: 'invalid_state', outcome: 'rejected' });
    expect(sent('/identity_verification/list')).toBe(1);
  });

  it('reports a template Plaid does not know as config from the lookup (getStatus and retry)', async () => {
    plaid()
      .post('/identity_verification/list', checkBody('/identity_verification/list'))
      .reply(400, refusal('template_id idvtmp_x does not match any Identity Verification template'));
    expect(left(await provider.getStatus(REF)())).toMatchObject({
      kind: 'config',
      issues: [{ path: 'templateId' }],
      providerCode: 'INVALID_FIELD',
    });
    plaid()
      .post('/identity_verification/list', checkBody('/identity_verification/list'))
      .reply(400, refusal('the request could not be applied'));
    expect(left(await provider.retry(REF)())).toMatchObject({ kind: 'config', outcome: 'not_sent' });
    expect(sent('/identity_verification/retry')).toBe(0);
  });
});
