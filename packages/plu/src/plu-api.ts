/**
 * Plu's endpoints as data, and their wire types. Requests we send are typed in full; response codecs
 * hold only the fields the adapter reads and accept extra fields (`t.type` / `t.partial`, never
 * exact), so Plu adding a field never breaks a call. Sources: https://docs.getplu.com/api-reference/users/create-user,
 * .../users/retry-kyc, .../users/list-users.
 */
import * as t from 'io-ts';
import { NonEmptyString } from '@kycport/core';
import { defineEndpoint } from '@kycport/http';
import type { PluProgram } from './plu-options';

/** The body of `POST /v2/partner/card/users`. */
export interface PluCreateUserRequest {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly accountPurpose: string;
  readonly ipAddress: string;
  readonly isTermsOfServiceAccepted: true;
  readonly program: PluProgram;
  readonly walletAddress?: string;
  readonly redirectUrl?: string;
  readonly address: string;
  readonly city: string;
  readonly region: string;
  readonly postalCode: string;
  readonly countryCode: string;
}

/** Every success body is `{ status: "success", message, data }`. */
function successEnvelope<C extends t.Mixed>(data: C, name: string) {
  return t.type({ status: t.literal('success'), data }, name);
}

/** `verificationUrl` is optional here so a created user whose URL is missing is still named in the error. */
export const PluCreateUserResponse = successEnvelope(
  t.intersection([t.type({ serviceId: NonEmptyString }), t.partial({ verificationUrl: t.string })]),
  'PluCreateUserResponse',
);
export type PluCreateUserResponse = t.TypeOf<typeof PluCreateUserResponse>;

/** Either `verificationUrl` (redo Persona) or `applicationStatus` (automated retry) is returned. */
export const PluRetryKycResponse = successEnvelope(
  t.partial({
    serviceId: t.string,
    applicationStatus: t.string,
    verificationUrl: t.string,
    retryCount: t.number,
  }),
  'PluRetryKycResponse',
);
export type PluRetryKycResponse = t.TypeOf<typeof PluRetryKycResponse>;

/**
 * A listed user. `retryCount` is not documented on the list; it is kept as unknown (never failing the
 * page) and read only when it is a count (`pluRetryCountOf`).
 */
export const PluListedUser = t.intersection(
  [t.type({ serviceId: t.string, status: t.string }), t.partial({ email: t.string, retryCount: t.unknown })],
  'PluListedUser',
);
export type PluListedUser = t.TypeOf<typeof PluListedUser>;

export const PluListUsersResponse = successEnvelope(
  t.intersection([
    t.type({ users: t.array(PluListedUser) }),
    t.partial({ pagination: t.partial({ skip: t.number, limit: t.number, total: t.number }) }),
  ]),
  'PluListUsersResponse',
);
export type PluListUsersResponse = t.TypeOf<typeof PluListUsersResponse>;

/**
 * Plu does not document the success status per endpoint, so 200 and 201 are both accepted; any
 * other 2xx is `unexpected_response` (see "What Plu does not document" in docs/providers/plu.md).
 */
const createdOrOk = (status: number): boolean => status === 200 || status === 201;

const JSON_BODY = { 'Content-Type': 'application/json' } as const;

export const PLU_ENDPOINTS = {
  createUser: defineEndpoint({
    operation: 'createUser',
    method: 'POST',
    path: '/v2/partner/card/users',
    // Not safe for the transport to resend: Plu answers a reused key with a 400, not a replay. The
    // create flow reconciles explicitly instead (plu-create-user.ts).
    idempotent: false,
    response: PluCreateUserResponse,
    headers: JSON_BODY,
    acceptStatus: createdOrOk,
  }),
  retryKyc: defineEndpoint({
    operation: 'retry',
    method: 'POST',
    path: '/v2/partner/card/users/{serviceId}/retry-kyc',
    // A resend with the same key is answered with a 400, so the transport must not resend.
    idempotent: false,
    response: PluRetryKycResponse,
    headers: JSON_BODY,
    acceptStatus: createdOrOk,
  }),
  /** Read by getStatus and by the create's reconciliation; each scan names its own operation. */
  listUsers: defineEndpoint({
    operation: 'listUsers',
    method: 'GET',
    path: '/v1/partner/card/users',
    idempotent: true,
    response: PluListUsersResponse,
  }),
} as const;
