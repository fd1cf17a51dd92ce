import { inspect } from 'node:util';
import * as TE from 'fp-ts/TaskEither';
import {
  KycException,
  isKycError,
  isKycErrorOfKind,
  kindForHttpStatus,
  kycError,
  kycErrorFromHttpStatus,
  runOrThrow,
  toPromiseProvider,
  userRef,
  withErrorContext,
} from '@kycport/core';
import type { KycProvider } from '@kycport/core';

describe('KycError values', () => {
  it('defaults retryable by kind and drops undefined fields', () => {
    const limited = kycError('rate_limited', {
      provider: 'plu',
      message: 'plu: slow down',
      retryAfterMs: 2000,
      requestId: undefined,
    });
    expect(limited.retryable).toBe(true);
    expect(Object.keys(limited)).not.toContain('requestId');
    expect(kycError('validation', { provider: 'plu', message: 'bad', issues: [] }).retryable).toBe(false);
    expect(
      kycError('provider_unavailable', { provider: 'p100', message: 'P501', retryable: true }).retryable,
    ).toBe(true);
    expect(Object.isFrozen(limited)).toBe(true);
  });

  it('is recognised by its Symbol.for marker, also when made by another copy of the package', () => {
    const error = kycError('not_found', { provider: 'plu', message: 'gone' });
    expect(isKycError(error)).toBe(true);
    expect(isKycErrorOfKind(error, 'not_found')).toBe(true);
    expect(isKycErrorOfKind(error, 'conflict')).toBe(false);
    const foreign = { kind: 'not_found', provider: 'plu', message: 'gone', retryable: false };
    expect(isKycError(foreign)).toBe(false);
    Object.defineProperty(foreign, Symbol.for('kycport.KycError'), { value: true });
    expect(isKycError(foreign)).toBe(true);
  });

  it('maps HTTP status classes to kinds', () => {
    expect([400, 401, 402, 403, 404, 409, 422, 429, 500, 503, 504, 302].map(kindForHttpStatus)).toEqual([
      'validation',
      'unauthorized',
      'payment_required',
      'forbidden',
      'not_found',
      'conflict',
      'validation',
      'rate_limited',
      'provider_unavailable',
      'provider_unavailable',
      'timeout',
      'unexpected_response',
    ]);
    const error = kycErrorFromHttpStatus('plaid', 418, { providerCode: 'TEAPOT', requestId: 'req-1' });
    expect(error).toMatchObject({
      kind: 'unexpected_response',
      providerCode: 'TEAPOT',
      requestId: 'req-1',
      httpStatus: 418,
    });
  });

  it('fills context without overriding what the mapper set', () => {
    const error = kycError('conflict', { provider: 'plu', message: 'dup', httpStatus: 400 });
    const filled = withErrorContext(error, { httpStatus: 500, requestId: 'r-9', userRef: userRef('u-1') });
    expect(filled).toMatchObject({ httpStatus: 400, requestId: 'r-9', userRef: 'u-1' });
    expect(isKycError(filled)).toBe(true);
  });
});

describe('KycException and the Promise facade', () => {
  const error = kycError('unauthorized', {
    provider: 'plu',
    message: 'plu: the credentials were rejected',
    httpStatus: 401,
  });

  it('rejects with a KycException holding the error, recognisable without instanceof', async () => {
    await expect(runOrThrow(TE.left(error))).rejects.toMatchObject({ name: 'KycException', error });
    const caught = await runOrThrow(TE.left(error)).catch((e: unknown) => e);
    expect(KycException.isInstance(caught)).toBe(true);
    expect(KycException.isInstance(new Error('x'))).toBe(false);
    expect((caught as KycException).kind).toBe('unauthorized');
    expect(JSON.parse(JSON.stringify(caught))).toMatchObject({
      name: 'KycException',
      error: { kind: 'unauthorized' },
    });
    expect(inspect(caught)).toContain('unauthorized');
  });

  it('resolves with the value', async () => {
    const provider = {
      id: 'x',
      capabilities: {} as KycProvider['capabilities'],
      getStatus: () =>
        TE.right({
          provider: 'x',
          userRef: userRef('u'),
          state: { status: 'approved', providerStatus: 'ok', reasonCodes: [], nextAction: { type: 'none' } },
          raw: {},
        }),
    } as unknown as KycProvider;
    await expect(toPromiseProvider(provider).getStatus(userRef('u'))).resolves.toMatchObject({
      state: { status: 'approved' },
    });
  });
});
