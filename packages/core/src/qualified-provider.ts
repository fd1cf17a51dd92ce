/**
 * The edge where an adapter's bare provider ids become provider-qualified refs and back. Every
 * adapter declared with `defineKycAdapter` is wrapped here, so adapters keep working with their
 * provider's own ids inside, and hosts only ever see `<provider>:<id>`:
 * - results, errors that name a user, and webhook events carry the qualified ref;
 * - a ref given to the adapter is read with `readUserRef`: its own qualified ref, or a bare ref
 *   (stored before qualified refs: with one adapter it is unambiguous), reach the adapter as the
 *   bare id; another provider's ref is a `validation` error naming that provider, and no request
 *   is made.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type { KycProviderWithWebhooks } from './adapter-definition';
import type { BulkStatusEntry } from './kyc-provider';
import { kycError, withUserRef } from './errors';
import { withFields } from './redact';
import type { KycError, ValidationError } from './errors';
import type { ProviderId } from './provider-id';
import { USER_REF_SEPARATOR, formatUserRef, readUserRef, registerProviderId } from './qualified-ref';
import type { UserRef } from './user-ref';
import { userRef } from './user-ref';
import { validationError } from './validation';
import type { KycEvent } from './webhook';

/**
 * Translates user refs between the host's qualified form (`plu:abc`) and the provider's own id
 * (`abc`), for one provider.
 */
export interface UserRefTranslator {
  /** The provider whose refs it translates. */
  readonly provider: ProviderId;
  /** A ref from the host -> the provider's own id; another provider's ref is a `validation` error. */
  toProvider(ref: UserRef): E.Either<ValidationError, UserRef>;
  /** The provider's own id -> the qualified ref the host stores. */
  toHost(ref: UserRef): UserRef;
  /** A result or event with its `userRef` qualified. */
  qualify<A extends { readonly userRef: UserRef }>(value: A): A;
  /** An error with its `userRef` (if any) qualified. */
  qualifyError(error: KycError): KycError;
}

/** The message of the refusal of another provider's ref; names that provider, never the ref. */
export function foreignRefIssue(refProvider: ProviderId, provider: ProviderId): string {
  return `belongs to provider "${refProvider}", not "${provider}": route it to that provider`;
}

/**
 * The `UserRefTranslator` of `provider`. `knownProviders` are other ids whose prefix marks a ref as
 * theirs (so it is refused rather than sent as an id), besides the built-in ids and those of
 * adapters built in this process.
 */
export function userRefTranslator(
  provider: ProviderId,
  knownProviders: ReadonlyArray<ProviderId> = [],
): UserRefTranslator {
  const known = [provider, ...knownProviders];
  const toHost = (ref: UserRef): UserRef => formatUserRef(provider, ref);
  return {
    provider,
    toProvider: (ref) => {
      // Not a string: the adapter's own input check answers it (a `validation` error on `ref`).
      if (typeof ref !== 'string') return E.right(ref);
      // `plu:` with nothing after it names a provider but no user: malformed, never sent as an id.
      if (
        known.some(
          (id) => ref.startsWith(`${id}${USER_REF_SEPARATOR}`) && ref.slice(id.length + 1).trim() === '',
        )
      ) {
        return E.left(
          validationError(provider, [{ path: 'ref', message: 'names a provider but no user id' }]),
        );
      }
      const read = readUserRef(ref, known);
      if (!read.qualified || read.provider === provider) return E.right(userRef(read.id));
      return E.left(
        validationError(provider, [{ path: 'ref', message: foreignRefIssue(read.provider, provider) }]),
      );
    },
    toHost,
    // withFields, not a spread: a spread would run a result's lazy `raw` redaction (redact.ts).
    qualify: (value) => withFields(value, { userRef: toHost(value.userRef) }) as typeof value,
    qualifyError: (error) =>
      error.userRef === undefined ? error : withUserRef(error, toHost(error.userRef)),
  };
}

/**
 * Wraps a provider so hosts see qualified refs. `extras` wraps methods an adapter adds beyond the
 * port (Plaid's `getVerification`), with the same translator.
 */
export function withQualifiedRefs<P extends KycProviderWithWebhooks>(
  provider: P,
  extras?: (inner: P, refs: UserRefTranslator) => Partial<P>,
  knownProviders: ReadonlyArray<ProviderId> = [],
): P {
  registerProviderId(provider.id);
  // Wrapping twice would qualify twice (`plu:plu:...`): a wrapped provider is returned as it is.
  if (hasQualifiedRefs(provider)) return provider;
  const refs = userRefTranslator(provider.id, knownProviders);
  // One `then` rather than `TE.bimap`: fp-ts's pipeable combinators allocate an arguments array and
  // closures per call and add promise hops (several µs a call in the benchmark profile).
  const out =
    <A extends { readonly userRef: UserRef }>(task: TE.TaskEither<KycError, A>): TE.TaskEither<KycError, A> =>
    () =>
      task().then((result) =>
        E.isLeft(result) ? E.left(refs.qualifyError(result.left)) : E.right(refs.qualify(result.right)),
      );
  // The ref is read synchronously and the call handed on as it is: no extra TaskEither step.
  const withRef =
    <A extends { readonly userRef: UserRef }>(call: (ref: UserRef) => TE.TaskEither<KycError, A>) =>
    (ref: UserRef): TE.TaskEither<KycError, A> => {
      const bare = refs.toProvider(ref);
      return E.isLeft(bare) ? TE.left(bare.left) : out(call(bare.right));
    };
  const wrapped: KycProviderWithWebhooks = {
    id: provider.id,
    capabilities: provider.capabilities,
    createUser: (input, options) => out(provider.createUser(input, options)),
    retry: (ref, options) => withRef((bare) => provider.retry(bare, options))(ref),
    getStatus: (ref, options) => withRef((bare) => provider.getStatus(bare, options))(ref),
    submitVerification: (ref, input, options) =>
      withRef((bare) => provider.submitVerification(bare, input, options))(ref),
    ...(provider.getStatuses === undefined ? {} : { getStatuses: bulkWithRefs(provider, refs) }),
    webhooks: {
      ...provider.webhooks,
      parseWebhook: (request) =>
        pipe(
          provider.webhooks.parseWebhook(request),
          TE.map((event: KycEvent) => refs.qualify(event)),
        ),
    },
    close: () => provider.close(),
  };
  return Object.defineProperty(
    { ...provider, ...wrapped, ...(extras?.(provider, refs) ?? {}) },
    QUALIFIED_REFS,
    { value: true, enumerable: false },
  );
}

const QUALIFIED_REFS = Symbol.for('kycport.qualifiedRefs');

/**
 * `getStatuses` with qualified refs: refs of another provider are answered with their own
 * `validation` error and never sent; the others go to the adapter as bare ids in one call.
 */
function bulkWithRefs(
  provider: KycProviderWithWebhooks,
  refs: UserRefTranslator,
): NonNullable<KycProviderWithWebhooks['getStatuses']> {
  return (hostRefs, options) => {
    const read = (Array.isArray(hostRefs) ? hostRefs : []).map((ref) => ({
      ref,
      bare: refs.toProvider(ref),
    }));
    const sendable = read.flatMap((entry) => (E.isRight(entry.bare) ? [entry.bare.right] : []));
    const bulk = provider.getStatuses;
    if (bulk === undefined) return TE.right([]);
    return pipe(
      bulk(sendable, options),
      TE.bimap(refs.qualifyError, (answers) => {
        const byRef = new Map(answers.map((answer) => [answer.ref as string, answer]));
        return read.map((entry): BulkStatusEntry => {
          if (E.isLeft(entry.bare)) return { ref: entry.ref, error: entry.bare.left };
          const answer = byRef.get(entry.bare.right);
          if (answer === undefined) {
            const message = `${provider.id}: the bulk read gave no answer for a ref it was sent`;
            return {
              ref: entry.ref,
              error: kycError('internal', { provider: provider.id, message, retryable: true }),
            };
          }
          return 'result' in answer
            ? { ref: entry.ref, result: refs.qualify(answer.result) }
            : { ref: entry.ref, error: refs.qualifyError(answer.error) };
        });
      }),
    );
  };
}

/** Whether a provider already hands out qualified refs (it was wrapped by `withQualifiedRefs`). */
export function hasQualifiedRefs(provider: object): boolean {
  return (provider as { [QUALIFIED_REFS]?: boolean })[QUALIFIED_REFS] === true;
}
