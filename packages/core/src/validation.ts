/** Turns io-ts decode failures into `validation` / `config` errors with paths and never values. */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { kycError } from './errors';
import type { ConfigError, KycIssue, UnexpectedResponseError, ValidationError } from './errors';
import type { ProviderId } from './provider-id';

/** Intersections and unions add an entry per member, keyed by its index; exact, readonly and refinement types add none. */
function addsMemberIndex(type: t.Decoder<unknown, unknown>): boolean {
  return type instanceof t.IntersectionType || type instanceof t.UnionType;
}

/** `applicant.address.country`; intersection and union member indexes are left out. */
export function pathOf(context: t.Context, prefix?: string): string {
  const parts: string[] = prefix ? [prefix] : [];
  context.forEach((entry, index) => {
    if (index === 0) return;
    const parent = context[index - 1];
    if (parent && addsMemberIndex(parent.type)) return;
    if (entry.key !== '') parts.push(entry.key);
  });
  return parts.length > 0 ? parts.join('.') : '(root)';
}

/** One issue per path; the message says what was expected, never what was given. */
export function issuesFromErrors(errors: t.Errors, prefix?: string): ReadonlyArray<KycIssue> {
  const seen = new Map<string, KycIssue>();
  for (const error of errors) {
    const path = pathOf(error.context, prefix);
    const last = error.context[error.context.length - 1];
    const message =
      error.value === undefined
        ? 'is required'
        : (error.message ?? `expected ${last ? last.type.name : 'a different value'}`);
    if (!seen.has(path)) seen.set(path, { path, message });
  }
  return [...seen.values()];
}

/** Issues as one line for a message: `path (message); path (message)`. */
export function formatIssues(issues: ReadonlyArray<KycIssue>): string {
  return issues.map((issue) => `${issue.path} (${issue.message})`).join('; ');
}

/** A `validation` error listing the given issues. */
export function validationError(provider: ProviderId, issues: ReadonlyArray<KycIssue>): ValidationError {
  return kycError('validation', {
    provider,
    message: `${provider}: invalid input: ${formatIssues(issues)}`,
    issues,
    retryable: false,
    outcome: 'not_sent',
  });
}

/** A `config` error listing the given issues (keys or environment variable names, never values). */
export function configError(provider: ProviderId, issues: ReadonlyArray<KycIssue>): ConfigError {
  return kycError('config', {
    provider,
    message: `${provider}: invalid configuration: ${formatIssues(issues)}`,
    issues,
    retryable: false,
  });
}

/** Decodes host input before any request; failures become a `validation` error. */
export function decodeInput<A, O>(
  provider: ProviderId,
  codec: t.Type<A, O, unknown>,
  input: unknown,
  prefix?: string,
): E.Either<ValidationError, A> {
  return E.mapLeft((errors: t.Errors) => validationError(provider, issuesFromErrors(errors, prefix)))(
    codec.decode(input),
  );
}

/** Decodes configuration; failures become a `config` error (paths may be renamed to variable names). */
export function decodeConfig<A, O>(
  provider: ProviderId,
  codec: t.Type<A, O, unknown>,
  input: unknown,
  renamePath: (path: string) => string = (path) => path,
): E.Either<ConfigError, A> {
  return E.mapLeft((errors: t.Errors) => {
    return configError(
      provider,
      issuesFromErrors(errors).map((issue) => ({ ...issue, path: renamePath(issue.path) })),
    );
  })(codec.decode(input));
}

/** Decodes a provider response; a wrong shape becomes `unexpected_response` with the failing paths. */
export function decodeResponse<A, O>(
  provider: ProviderId,
  codec: t.Type<A, O, unknown>,
  body: unknown,
  context: { httpStatus?: number; requestId?: string; operation?: string } = {},
): E.Either<UnexpectedResponseError, A> {
  return E.mapLeft((errors: t.Errors) => {
    const issues = issuesFromErrors(errors, 'response');
    return kycError('unexpected_response', {
      provider,
      message: `${provider}: ${context.operation ?? 'response'} did not have the documented shape: ${formatIssues(issues)}`,
      issues,
      httpStatus: context.httpStatus,
      requestId: context.requestId,
      retryable: false,
    });
  })(codec.decode(body));
}
