/**
 * getStatus: Get KYC Status (https://partner-api-docs.p100.io/get-kyc-status-19688846e0), with
 * P445 "KYC not found" for an existing user read as a state (no verification started yet).
 */
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { UserRefCodec, decodeInput } from '@kycport/core';
import type { CallOptions, KycError, StatusResult, UserRef } from '@kycport/core';
import type { HttpClient } from '@kycport/http';
import { P100_ENDPOINTS, p100Result } from './p100-api';
import { P100_PROVIDER_ID } from './p100-config';
import type { P100Settings } from './p100-config';
import { kycNotFoundState, p100KycState } from './p100-status-mapping';

export function getP100Status(
  client: HttpClient,
  settings: P100Settings,
  ref: UserRef,
  options: CallOptions = {},
): TE.TaskEither<KycError, StatusResult> {
  return pipe(
    TE.fromEither(decodeInput(P100_PROVIDER_ID, UserRefCodec, ref, 'ref')),
    TE.chain(() => client.call(P100_ENDPOINTS.kycStatus, { pathParams: { externalUserId: ref } }, options)),
    TE.map(({ data }) =>
      p100Result(ref, p100KycState(data.status, data.attemptStatus, data.rejectionReason), data),
    ),
    // P445 "KYC not found" (404) for an existing user: no verification yet. A state, not an error.
    TE.orElse((error) =>
      error.providerCode === 'P445'
        ? TE.right(p100Result(ref, kycNotFoundState(settings.kycMethod), { errorCode: 'P445' }))
        : TE.left(error),
    ),
  );
}
