import * as E from 'fp-ts/Either';
import { isSafeRedirectUrl, redirectTo } from '@kycport/core';

describe('redirectTo', () => {
  it('accepts https URLs', () => {
    expect(redirectTo('plaid', 'https://verify.plaid.com/x', 'shareable_url')).toEqual(
      E.right({ type: 'redirect', url: 'https://verify.plaid.com/x' }),
    );
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>',
    'http://evil.example/x',
    'not a url',
    '',
    42,
    null,
  ])('refuses %p without copying it into the error', (url) => {
    const result = redirectTo('plaid', url, 'shareable_url');
    expect(result).toMatchObject({
      _tag: 'Left',
      left: { kind: 'unexpected_response', issues: [{ path: 'shareable_url' }] },
    });
    if (typeof url === 'string' && url !== '') expect(JSON.stringify(result)).not.toContain(url);
  });

  it('accepts plain http only on a configured origin (a local simulator)', () => {
    const policy = { allowedOrigins: ['http://127.0.0.1:4010'] };
    expect(isSafeRedirectUrl('http://127.0.0.1:4010/verify/1', policy)).toBe(true);
    expect(isSafeRedirectUrl('http://127.0.0.1:4011/verify/1', policy)).toBe(false);
    expect(isSafeRedirectUrl('http://127.0.0.1:4010/verify/1')).toBe(false);
  });
});
