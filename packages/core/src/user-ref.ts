import * as t from 'io-ts';
import { refined } from './codecs';

declare const userRefBrand: unique symbol;

/**
 * An opaque reference to a user at a provider: enough for every later call, with no extra host
 * state. Store it as a string; pass it back through `userRef(stored)`.
 * Plu: the serviceId. P100: the externalUserId. Plaid: the client_user_id (the latest attempt is
 * looked up from it).
 */
export type UserRef = string & { readonly [userRefBrand]: true };

/** A lone UTF-16 surrogate: text that cannot be encoded as UTF-8 (nor put in a URL). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Well-formed Unicode: no lone surrogate (`encodeURIComponent` throws on one). */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

const UserRefString = refined(
  t.string,
  (value) => value.trim().length > 0 && value.length <= 256 && isWellFormedText(value),
  'a user reference (a non-blank string of at most 256 characters of well-formed Unicode)',
);

/** Codec for a `UserRef` arriving from outside (host storage, webhooks). */
export const UserRefCodec = new t.Type<UserRef, string, unknown>(
  'UserRef',
  (input): input is UserRef => UserRefString.is(input),
  (input, context) => UserRefString.validate(input, context) as t.Validation<UserRef>,
  (ref) => ref,
);

/** Wraps a stored string as a `UserRef` (no validation: adapters validate refs before any call). */
export function userRef(value: string): UserRef {
  return value as UserRef;
}
