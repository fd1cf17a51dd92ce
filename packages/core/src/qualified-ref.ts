/**
 * Provider-qualified user references: `<provider>:<provider's id>`, e.g. `plu:acme-user-42` or
 * `plaid:host-user-7`. The provider id is the text before the first `:`, the provider's own id is
 * everything after it, verbatim, so any id round-trips, one containing `:` included.
 *
 * Refs stored before qualified refs existed are the provider's bare id. A bare ref stays usable
 * where it is unambiguous (one provider configured), or through an explicit `legacyRefProvider`.
 * A ref is read as qualified only when its prefix is a provider id kycport knows (a built-in one or
 * one configured), so a bare id such as `order:42` is not mistaken for a ref of a provider
 * `order`. The one ambiguity left: a bare id that itself starts with a known provider id and `:`
 * (`plu:...` stored bare for P100); qualify such refs in storage (`formatUserRef('p100', stored)`).
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import type { ValidationError } from './errors';
import type { BuiltInProviderId, ProviderId } from './provider-id';
import { UserRefCodec, userRef } from './user-ref';
import type { UserRef } from './user-ref';
import { validationError } from './validation';

/** The separator between the provider id and the provider's own id. */
export const USER_REF_SEPARATOR = ':';

/** Provider ids that can qualify a ref: lower-case letters, digits, `_` and `-`, starting with a letter. */
const PROVIDER_ID_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** The ids kycport knows without configuration: a prefix among them always reads as qualified. */
export const BUILT_IN_PROVIDER_IDS: ReadonlyArray<BuiltInProviderId> = ['plu', 'p100', 'plaid', 'fake'];

/** A provider-qualified user ref taken apart: the provider's id and the provider's own user id. */
export interface QualifiedUserRef {
  /** The provider the ref belongs to. */
  readonly provider: ProviderId;
  /** The provider's own id (Plu serviceId, P100 externalUserId, Plaid client_user_id). */
  readonly id: string;
}

/** Whether `provider` can qualify a ref (`formatUserRef` accepts it). */
export function isQualifyingProviderId(provider: string): boolean {
  return PROVIDER_ID_PATTERN.test(provider);
}

/**
 * `plu` + `acme-user-42` -> `plu:acme-user-42`. The caller gives a provider id that qualifies
 * (`isQualifyingProviderId`); adapters are declared with one, and the container checks it.
 */
export function formatUserRef(provider: ProviderId, id: string): UserRef {
  return userRef(`${provider}${USER_REF_SEPARATOR}${id}`);
}

function splitRef(ref: string): QualifiedUserRef | undefined {
  const at = ref.indexOf(USER_REF_SEPARATOR);
  if (at <= 0) return undefined;
  const provider = ref.slice(0, at);
  const id = ref.slice(at + 1);
  return isQualifyingProviderId(provider) && id.trim() !== '' ? { provider, id } : undefined;
}

/**
 * Reads a qualified ref: `plu:acme-user-42` -> `{ provider: 'plu', id: 'acme-user-42' }`. A ref
 * that is not a string, is blank, has no provider prefix or an empty id is a `validation` error on
 * `ref` (naming what was expected, never the ref). Never throws.
 */
export function parseUserRef(ref: unknown): E.Either<ValidationError, QualifiedUserRef> {
  if (!UserRefCodec.is(ref)) {
    return E.left(validationError('kycport', [{ path: 'ref', message: 'expected a user reference' }]));
  }
  const parsed = splitRef(ref);
  return parsed === undefined
    ? E.left(
        validationError('kycport', [
          { path: 'ref', message: 'expected a provider-qualified user reference (`<provider>:<id>`)' },
        ]),
      )
    : E.right(parsed);
}

/** How a ref reads given the providers kycport knows: qualified (with its provider) or bare. */
export type ReadUserRef =
  | { readonly qualified: true; readonly provider: ProviderId; readonly id: string }
  | { readonly qualified: false; readonly id: string };

/**
 * The ids of the providers built in this process (every adapter wrapped for qualified refs adds
 * its id), so one adapter recognises a ref of another adapter the host runs, third-party ones too.
 */
const providersInProcess = new Set<ProviderId>(BUILT_IN_PROVIDER_IDS);

/** Makes `provider` a known prefix for `readUserRef` in this process (done for every built adapter). */
export function registerProviderId(provider: ProviderId): void {
  if (isQualifyingProviderId(provider)) providersInProcess.add(provider);
}

/**
 * Reads a ref that may be bare (stored before qualified refs): qualified when its prefix is a
 * known provider id (built in, an adapter built in this process, or one of `knownProviders`),
 * bare otherwise.
 */
export function readUserRef(ref: string, knownProviders: ReadonlyArray<ProviderId> = []): ReadUserRef {
  const parsed = splitRef(ref);
  return parsed !== undefined &&
    (providersInProcess.has(parsed.provider) || knownProviders.includes(parsed.provider))
    ? { qualified: true, provider: parsed.provider, id: parsed.id }
    : { qualified: false, id: ref };
}

/** io-ts codec for a qualified ref in host storage: decodes to `{ provider, id }`, encodes back to the string. */
export const QualifiedUserRefCodec = new t.Type<QualifiedUserRef, string, unknown>(
  'QualifiedUserRef',
  (input): input is QualifiedUserRef =>
    typeof input === 'object' &&
    input !== null &&
    typeof (input as QualifiedUserRef).provider === 'string' &&
    isQualifyingProviderId((input as QualifiedUserRef).provider) &&
    typeof (input as QualifiedUserRef).id === 'string' &&
    (input as QualifiedUserRef).id.trim() !== '',
  (input, context) => {
    const parsed = parseUserRef(input);
    return E.isRight(parsed)
      ? t.success(parsed.right)
      : t.failure(input, context, 'expected a provider-qualified user reference (`<provider>:<id>`)');
  },
  (ref) => formatUserRef(ref.provider, ref.id),
);
