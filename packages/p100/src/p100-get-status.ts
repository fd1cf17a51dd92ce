/**
 * getStatus: Get KYC Status (https://partner-api-docs.p100.io/get-kyc-status-19688846e0), with
 * P445 "KYC not found" for an existing user read as a state (no verification started yet).
 *
 * The same read is what the other flows use to resolve a lost answer (`readP100Kyc`): it tells
 * whether the user exists (P412 or not) and gives the (status, attemptStatus) pair of the latest
 * attempt. It has no attempt id and no time, so it cannot tell one attempt from the next.
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
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
  const call = client.call(P100_ENDPOINTS.kycStatus, { pathParams: { externalUserId: ref } }, options);
  // A `then` rather than `TE.map`/`TE.orElse`: the same branches without fp-ts's closures and
  // promise hops on every call (a few µs a call in the benchmark profile).
  return () =>
    call().then((read): E.Either<KycError, P100KycReading> => {
      if (E.isRight(read)) return E.right({ kind: 'pair', data: read.right.data });
      // P445 "KYC not found" (404) for an existing user: no verification yet. A state, not an error.
      return read.left.providerCode === 'P445' ? E.right({ kind: 'not_started' }) : read;
    });
}

export function getP100Status(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options?: CallOptions,
): TE.TaskEither<KycError, StatusResult> {
  // Early returns rather than a pipeline, for the reason given in readP100Kyc: the ref, then the
  // options, then the read. `is` before decoding: the codec accepts what `is` accepts, unchanged.
  return () => {
    const checked = UserRefCodec.is(ref)
      ? E.right(ref)
      : decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref');
    if (E.isLeft(checked)) return Promise.resolve(checked);
    const callOptions = p100CallOptions(options);
    if (E.isLeft(callOptions)) return Promise.resolve(callOptions);
    return readP100Kyc(client, ref, callOptions.right)().then((read) => {
      if (E.isLeft(read)) return read;
      const reading = read.right;
      return E.right(
        reading.kind === 'not_started'
          ? p100Result(ref, kycNotFoundState(settings.kycMethod), { errorCode: 'P445' })
          : p100Result(
              ref,
              p100KycState(reading.data.status, reading.data.attemptStatus, reading.data.rejectionReason),
              reading.data,
            ),
      );
    });
  };
}
