/** Issue 11: inputs hosts hand over by mistake give typed answers, never a throw. */
import * as E from 'fp-ts/Either';
import {
  UserRefCodec,
  getHeader,
  isWellFormedText,
  kycError,
  readWebhookBody,
  withRetryable,
} from '@kycport/core';

describe('refs are well-formed Unicode', () => {
  it.each(['\uD800', 'a\uDC00', 'x\uD800y'])('refuses a lone surrogate in %j', (ref) => {
    expect(isWellFormedText(ref)).toBe(false);
    expect(E.isLeft(UserRefCodec.decode(ref))).toBe(true);
  });

  it('accepts a surrogate pair (an emoji)', () => {
    expect(E.isRight(UserRefCodec.decode('user-\uD83D\uDE00'))).toBe(true);
  });
});

describe('getHeader', () => {
  it('treats null and non-string values as absent and never throws', () => {
    const headers = { 'x-a': null, 'x-b': [], 'x-c': [7], 'X-D': ['first', 'second'] } as never;
    expect(getHeader(headers, 'x-a')).toBeUndefined();
    expect(getHeader(headers, 'x-b')).toBeUndefined();
    expect(getHeader(headers, 'x-c')).toBeUndefined();
    expect(getHeader(headers, 'x-d')).toBe('first');
    expect(getHeader(null, 'x-a')).toBeUndefined();
    expect(getHeader(undefined, 'x-a')).toBeUndefined();
  });
});

describe('readWebhookBody', () => {
  it('reads strings and bytes', () => {
    expect(readWebhookBody('plu', '{"a":1}')).toEqual(E.right('{"a":1}'));
    expect(readWebhookBody('plu', new TextEncoder().encode('{"a":1}'))).toEqual(E.right('{"a":1}'));
  });

  it('a missing body is webhook_rejected', () => {
    for (const body of [undefined, null]) {
      expect(readWebhookBody('plu', body)).toMatchObject({
        _tag: 'Left',
        left: { kind: 'webhook_rejected' },
      });
    }
  });

  it('a body a JSON parser already parsed is a config error naming rawBody', () => {
    expect(readWebhookBody('plu', { event: 'x' })).toMatchObject({
      _tag: 'Left',
      left: { kind: 'config', issues: [{ path: 'rawBody' }] },
    });
  });
});

describe('withRetryable', () => {
  it('copies the error with retryable set and keeps it a KycError', () => {
    const error = kycError('timeout', { provider: 'plu', message: 'slow', outcome: 'unknown' });
    const copy = withRetryable(error, false);
    expect(copy).toMatchObject({ kind: 'timeout', retryable: false, outcome: 'unknown' });
    expect(error.retryable).toBe(true);
    expect(Object.isFrozen(copy)).toBe(true);
  });
});
