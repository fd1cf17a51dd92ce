import type { KycErrorKind } from '@kycport/core';
import type { HttpFailure } from '@kycport/http';
import { P100_ENDPOINTS, P100_ENDPOINT_ERROR_CODES, P100_ERROR_CODES, mapP100Error } from '../src';
import p403 from './fixtures/error-p403.json';
import p412 from './fixtures/error-p412.json';
import p424 from './fixtures/error-p424.json';
import { errorBody } from './support';

function failure(status: number, body: unknown, text = JSON.stringify(body)): HttpFailure {
  return { provider: 'p100', operation: 'getStatus', status, body, text };
}

describe('mapP100Error', () => {
  it.each<[string, number, KycErrorKind, boolean]>([
    ['P211', 202, 'invalid_state', false],
    ['P403', 400, 'validation', false],
    ['P411', 400, 'conflict', false],
    ['P412', 400, 'not_found', false],
    ['P424', 400, 'validation', false],
    ['P426', 400, 'validation', false],
    ['P427', 404, 'invalid_state', false],
    ['P433', 400, 'payment_required', false],
    ['P434', 400, 'validation', false],
    ['P440', 400, 'validation', false],
    ['P442', 400, 'invalid_state', false],
    ['P445', 404, 'not_found', false],
    ['P446', 400, 'invalid_state', false],
    ['P447', 400, 'invalid_state', false],
    ['P451', 400, 'forbidden', false],
    ['P455', 400, 'forbidden', false],
    ['P459', 400, 'invalid_state', false],
    ['P460', 404, 'not_found', false],
    ['P466', 400, 'conflict', false],
    ['P473', 400, 'validation', false],
    ['P500', 400, 'provider_unavailable', true],
    ['P501', 400, 'provider_unavailable', true],
  ])('maps %s arriving as HTTP %i to %s (retryable %s)', (code, status, kind, retryable) => {
    const error = mapP100Error(
      failure(status, errorBody(code, 'some-name', 'free text with jan.kowalski@example.pl')),
    );
    expect([error.kind, error.retryable, error.providerCode, error.httpStatus]).toEqual([
      kind,
      retryable,
      code,
      status,
    ]);
    expect(error.message).not.toContain('jan.kowalski');
    expect(error.message).toContain(code);
  });

  it('maps every code of the table (the table and the test stay in step)', () => {
    expect(Object.keys(P100_ERROR_CODES)).toHaveLength(22);
  });

  it('maps P500 arriving as 400 to provider_unavailable, by code not by status', () => {
    const error = mapP100Error(failure(400, errorBody('P500', undefined, 'Unknown exception')));
    expect([error.kind, error.retryable]).toEqual(['provider_unavailable', true]);
  });

  it('maps the documented examples (P403 without errorName, P412, P424) and never copies errorMessage', () => {
    for (const [body, kind] of [
      [p403, 'validation'],
      [p412, 'not_found'],
      [p424, 'validation'],
    ] as const) {
      const error = mapP100Error(failure(400, body));
      expect([error.kind, error.providerCode]).toEqual([kind, body.errorCode]);
      expect(error.message).not.toContain(body.errorMessage);
    }
  });

  it.each([
    ['Access Denied. xo1', 'unauthorized', 'xo1'],
    ['Access Denied. xo2', 'unauthorized', 'xo2'],
    ['Access Denied. xo3', 'forbidden', 'xo3'],
  ])('maps the 401 text %j to %s with providerCode %s', (text, kind, code) => {
    const error = mapP100Error(failure(401, undefined, text));
    expect([error.kind, error.providerCode, error.retryable, error.httpStatus]).toEqual([
      kind,
      code,
      false,
      401,
    ]);
  });

  it('finds the xo code inside an undocumented JSON envelope too', () => {
    const body = { message: 'Access Denied. xo2' };
    expect(mapP100Error(failure(401, body)).providerCode).toBe('xo2');
  });

  it('maps any other 401 to unauthorized', () => {
    expect(mapP100Error(failure(401, undefined, 'Unauthorized')).kind).toBe('unauthorized');
  });

  it('keeps an unknown code and falls back on the HTTP status class', () => {
    const unknown = mapP100Error(failure(404, errorBody('P999', 'new-thing', 'x')));
    expect([unknown.kind, unknown.providerCode]).toEqual(['not_found', 'P999']);
    const server = mapP100Error(failure(503, undefined, '<html>'));
    expect([server.kind, server.retryable, server.providerCode]).toEqual([
      'provider_unavailable',
      true,
      undefined,
    ]);
    expect(mapP100Error(failure(429, undefined, '')).kind).toBe('rate_limited');
  });
});

/**
 * Issue 12: P430 "Too many verifications" is documented on Add User Verification only
 * (p100-add-user-verification.txt). It is the attempt cap there, and on `POST /v1/kyc` by
 * assumption (the call that starts a verification); on any other endpoint it is an undocumented
 * code: kept as providerCode, mapped by the HTTP status like any unknown code.
 */
describe('P430 is endpoint-specific', () => {
  const p430 = (operation: string): HttpFailure => ({
    ...failure(400, errorBody('P430', 'too-many-verifications', 'Too many verifications')),
    operation,
  });
  const endpointMapper = (name: keyof typeof P100_ENDPOINTS) => P100_ENDPOINTS[name].mapError ?? mapP100Error;

  it.each(['addUserVerification', 'startVerification'] as const)(
    'is retry_limit_reached on %s, not retryable',
    (name) => {
      const error = endpointMapper(name)(p430(P100_ENDPOINTS[name].operation));
      expect([error.kind, error.retryable, error.providerCode]).toEqual([
        'retry_limit_reached',
        false,
        'P430',
      ]);
    },
  );

  it.each(['createUser', 'kycStatus', 'uploadKycFiles', 'uploadPoaFiles'] as const)(
    'is an unknown code on %s (by HTTP status: 400 is validation), never retry_limit_reached',
    (name) => {
      const error = endpointMapper(name)(p430(P100_ENDPOINTS[name].operation));
      expect([error.kind, error.providerCode]).toEqual(['validation', 'P430']);
    },
  );

  it('is not in the client-wide table; only the verification endpoints carry it', () => {
    expect(P100_ERROR_CODES).not.toHaveProperty('P430');
    expect(Object.keys(P100_ENDPOINT_ERROR_CODES).sort()).toEqual([
      'addUserVerification',
      'startVerification',
    ]);
  });
});
