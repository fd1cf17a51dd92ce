import type { HttpFailure } from '@kycport/http';
import { PLU_ERROR_CODES, mapPluError, pluErrorCode } from '../src';
import { errorBody, cleanNockAfterEach } from './plu-test-support';

cleanNockAfterEach();

function failure(status: number, body: unknown, operation = 'retry'): HttpFailure {
  return { provider: 'plu', operation, status, body, text: JSON.stringify(body) };
}

describe('plu error mapping', () => {
  it.each([
    ['DUP_USER', 400, 'conflict', false],
    ['USER_NOT_FOUND', 400, 'not_found', false],
    ['USER_NOT_APPROVED', 400, 'invalid_state', false],
    ['USER_BLACKLISTED', 400, 'forbidden', false],
    ['CARD_NOT_FOUND', 404, 'not_found', false],
    ['CARD_ALREADY_FROZEN', 400, 'invalid_state', false],
    ['CARD_ALREADY_TERMINATED', 400, 'invalid_state', false],
    ['CARD_IS_ACTIVE', 400, 'invalid_state', false],
    ['INVALID_PROGRAM', 400, 'validation', false],
    ['CARD_CREATION_LIMIT', 400, 'rate_limited', true],
    ['CARD_DEBIT_LIMIT', 429, 'rate_limited', true],
    ['CRYPTO_CARD_FUND_BLOCKED', 400, 'invalid_state', false],
    ['INSUFFICIENT_WALLET_BALANCE', 402, 'payment_required', false],
    ['INSUFFICIENT_FUNDS', 400, 'payment_required', false],
    ['TRANSACTION_NOT_FOUND', 404, 'not_found', false],
    ['PARTNER_NOT_FOUND', 404, 'unauthorized', false],
    ['INTERNAL_ERROR', 500, 'provider_unavailable', true],
  ])('maps %s arriving as %i to %s (retryable %s)', (code, status, kind, retryable) => {
    const error = mapPluError(failure(status, errorBody(code)));
    expect(error).toMatchObject({ kind, retryable, providerCode: code, httpStatus: status, provider: 'plu' });
  });

  it('covers every documented code in the table', () => {
    expect(Object.keys(PLU_ERROR_CODES)).toHaveLength(17);
  });

  it('maps by code before status: USER_NOT_FOUND arriving as 400 is not_found, not validation', () => {
    expect(mapPluError(failure(400, errorBody('USER_NOT_FOUND'))).kind).toBe('not_found');
  });

  it.each(['IDEMPOTENCY_KEY_REUSED', 'DUPLICATE_IDEMPOTENCY_KEY', 'IDEMPOTENCY_ERROR', 'DUPLICATE_REQUEST'])(
    'recognises the undocumented idempotency reuse code %s as conflict',
    (code) => {
      expect(mapPluError(failure(400, errorBody(code)))).toMatchObject({
        kind: 'conflict',
        providerCode: code,
      });
    },
  );

  it.each(['KYC_RETRY_LIMIT', 'RETRY_LIMIT_REACHED', 'MAX_RETRIES_EXCEEDED', 'KYC_RETRIES_EXHAUSTED'])(
    'recognises the undocumented retry cap code %s as retry_limit_reached with 4 attempts',
    (code) => {
      expect(mapPluError(failure(400, errorBody(code)))).toMatchObject({
        kind: 'retry_limit_reached',
        providerCode: code,
        retryable: false,
        maxAttempts: 4,
      });
    },
  );

  it.each([
    [401, 'unauthorized'],
    [402, 'payment_required'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [422, 'validation'],
    [429, 'rate_limited'],
    [500, 'provider_unavailable'],
    [503, 'provider_unavailable'],
  ])('falls back to the status class for HTTP %i without a code', (status, kind) => {
    expect(mapPluError(failure(status, undefined)).kind).toBe(kind);
  });

  it('keeps an unknown code and falls back by status class', () => {
    expect(mapPluError(failure(400, errorBody('SOMETHING_NEW')))).toMatchObject({
      kind: 'validation',
      providerCode: 'SOMETHING_NEW',
    });
    expect(mapPluError(failure(503, errorBody('SOMETHING_NEW')))).toMatchObject({
      kind: 'provider_unavailable',
      providerCode: 'SOMETHING_NEW',
      retryable: true,
    });
  });

  it('never treats free text as a code nor copies it into the message', () => {
    const body = {
      status: 'error',
      message: 'User jane.doe@example.com is invalid',
      data: { error: 'jane.doe@example.com +14155555555' },
    };
    expect(pluErrorCode(body)).toBeUndefined();
    const error = mapPluError(failure(400, body));
    expect(error.providerCode).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('jane.doe');
    expect(JSON.stringify(error)).not.toContain('4155555555');
  });

  it('tolerates bodies that are not Plu envelopes', () => {
    expect(pluErrorCode('Bad Gateway')).toBeUndefined();
    expect(pluErrorCode({ message: 42 })).toBeUndefined();
    expect(mapPluError(failure(502, undefined)).kind).toBe('provider_unavailable');
  });
});
