/**
 * getStatus: Get KYC Status (https://partner-api-docs.p100.io/get-kyc-status-19688846e0), with
 * P445 "KYC not found" for an existing user read as a state (no verification started yet).
 *
 * The same read is what the other flows use to resolve a lost answer (`readP100Kyc`): it tells
 * whether the user exists (P412 or not) and gives the (status, attemptStatus) pair of the latest
 * attempt. It has no attempt id and no time, so it cannot tell one attempt from the next.
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { UserRefCodec, decodeInput } from '@kycport/core';
import type { CallOptions, KycError, StatusResult, UserRef } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { P100_ENDPOINTS, p100Result } from './p100-api';
import type { P100KycStatusResponse } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { p100CallOptions } from './p100-request-mapping';
import { kycNotFoundState, p100KycState } from './p100-status-mapping';

/** What Get KYC Status says about an existing user: no verification yet (P445), or the latest pair. */
export type P100KycReading =
  { readonly kind: 'not_started' } | { readonly kind: 'pair'; readonly data: P100KycStatusResponse };

/** Get KYC Status for a validated ref; P445 is a reading, every other failure (P412 too) an error. */
export function readP100Kyc(
  client: HttpClient,
  ref: UserRef,
  options: CallOptions,
): TE.TaskEither<KycError, P100KycReading> {
  return pipe(
    client.call(P100_ENDPOINTS.kycStatus, { pathParams: { externalUserId: ref } }, options),
    TE.map(({ data }): P100KycReading => ({ kind: 'pair', data })),
    // P445 "KYC not found" (404) for an existing user: no verification yet. A state, not an error.
    TE.orElse((error) =>
      error.providerCode === 'P445'
        ? TE.right<KycError, P100KycReading>({ kind: 'not_started' })
        : TE.left(error),
    ),
  );
}

export function getP100Status(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options?: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    TE.fromEither(decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref')),
    TE.chainEitherKW(() => p100CallOptions(options)),
    TE.chain((callOptions) => readP100Kyc(client, ref, callOptions)),
    TE.map((reading) =>
      reading.kind === 'not_started'
        ? p100Result(ref, kycNotFoundState(settings.kycMethod), { errorCode: 'P445' })
        : p100Result(
            ref,
            p100KycState(reading.data.status, reading.data.attemptStatus, reading.data.rejectionReason),
            reading.data,
          ),
    ),
  );
}
