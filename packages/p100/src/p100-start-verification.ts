/**
 * Starting a hosted verification (P100's Method B): `POST /v1/kyc`, then the redirect the user's
 * browser follows. Shared by createUser (hosted method), retry and an empty submitVerification.
 * https://partner-api-docs.p100.io/creating-kyc-verification-19688834e0
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { kycError, withErrorContext } from '@kycport/core';
import type { CallOptions, KycError, KycState, UserRef } from '@kycport/core';
import type { HttpClient, HttpResponse } from '@kycport/http';
import { P100_ENDPOINTS } from './p100-api';
import type { P100StartVerificationRequest, P100StartVerificationResponse } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { verificationCreatedState } from './p100-status-mapping';

/** The state after the start, and P100's answer for `raw`. */
export interface StartedP100Verification {
  readonly state: KycState;
  readonly raw: unknown;
}

/**
 * The browser URL of a hosted verification
 * (https://partner-api-docs.p100.io/redirect-to-verification-19688840e0). Built, never fetched:
 * P100 answers it with an HTML page whose scripts take the browser to iDenfy.
 */
export function p100VerificationUrl(baseUrl: string, externalUserId: string, verificationId: string): string {
  return `${baseUrl}/v1/kyc/verification/${encodeURIComponent(externalUserId)}/${encodeURIComponent(verificationId)}`;
}

/** The response is undocumented: the id is looked for as `verificationId`, then `id`. */
function verificationIdOf(response: P100StartVerificationResponse): string | undefined {
  const value = response.verificationId ?? response.id;
  return value === undefined || String(value).trim() === '' ? undefined : String(value);
}

function missingVerificationId(response: HttpResponse<unknown>): KycError {
  return kycError('unexpected_response', {
    provider: P100_PROVIDER_ID,
    message: `${P100_PROVIDER_ID}: startVerification answered without a verificationId or id`,
    issues: [{ path: 'response.verificationId', message: 'expected verificationId or id' }],
    httpStatus: response.status,
    requestId: response.requestId,
    retryable: false,
  });
}

/** `POST /v1/kyc` and the redirect state. Never resent: each call creates a (fee-bearing) verification. */
export function startP100Verification(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  body: P100StartVerificationRequest,
  options: CallOptions = {},
): TE.TaskEither<KycError, StartedP100Verification> {
  return pipe(
    client.call(P100_ENDPOINTS.startVerification, { body }, options),
    TE.chainEitherK((response) => {
      const verificationId = verificationIdOf(response.data);
      return verificationId === undefined
        ? E.left(missingVerificationId(response))
        : E.right({
            state: verificationCreatedState(p100VerificationUrl(settings.baseUrl, ref, verificationId)),
            raw: response.data,
          });
    }),
    // The user exists at P100 whenever a verification is started (created just before, or named by
    // the ref): the error names it, so the host calls `retry` instead of creating it again (P411).
    TE.mapLeft((error) => withErrorContext(error, { userRef: ref })),
  );
}
