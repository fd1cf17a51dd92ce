/**
 * The one check every adapter applies before handing a provider's URL to a browser: `https:`, or
 * an origin the host configured (a local simulator's `http://127.0.0.1:port`). Anything else
 * (`javascript:`, `data:`, plain `http:` to elsewhere, not a URL) is `unexpected_response`, and the
 * URL itself is never copied into the error.
 */
import * as E from 'fp-ts/Either';
import { kycError } from './errors';
import type { UnexpectedResponseError } from './errors';
import type { NextAction } from './kyc-state';
import type { ProviderId } from './provider-id';

/**
 * Which redirect URLs an adapter may hand to the host besides `https:` ones: adapters allow the
 * origin of their own `http:` base URL (a simulator on loopback).
 */
export interface RedirectPolicy {
  /** Origins allowed besides any `https:` URL, e.g. a simulator's `http://127.0.0.1:4010`. */
  readonly allowedOrigins?: ReadonlyArray<string>;
}

function originOf(text: string): { protocol: string; origin: string } | undefined {
  try {
    const url = new URL(text);
    return { protocol: url.protocol, origin: url.origin };
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is safe to send a user's browser to: an absolute `https:` URL, or one on an origin
 * the policy allows.
 */
export function isSafeRedirectUrl(url: unknown, policy: RedirectPolicy = {}): url is string {
  if (typeof url !== 'string') return false;
  const parsed = originOf(url);
  if (parsed === undefined) return false;
  if (parsed.protocol === 'https:') return true;
  return (policy.allowedOrigins ?? []).some((allowed) => originOf(allowed)?.origin === parsed.origin);
}

/** `{ type: 'redirect', url }` for a safe URL; `unexpected_response` naming `path` otherwise. */
export function redirectTo(
  provider: ProviderId,
  url: unknown,
  path: string,
  policy: RedirectPolicy = {},
): E.Either<UnexpectedResponseError, Extract<NextAction, { type: 'redirect' }>> {
  if (isSafeRedirectUrl(url, policy)) return E.right({ type: 'redirect', url });
  return E.left(
    kycError('unexpected_response', {
      provider,
      message: `${provider}: the provider's ${path} is not an https URL, so it is not handed to a browser`,
      issues: [{ path, message: 'expected an https URL' }],
      retryable: false,
    }),
  );
}
