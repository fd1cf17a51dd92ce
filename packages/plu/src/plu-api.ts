/**
 * Plu wire types. Requests we send are typed in full; response codecs hold only the fields the
 * adapter reads and accept extra fields (`t.type` / `t.partial`, never exact), so Plu adding a
 * field never breaks a call. Sources: https://docs.getplu.com/api-reference/users/create-user,
 * .../users/retry-kyc, .../users/list-users.
 */
import * as t from 'io-ts';
import { NonEmptyString } from '@kycport/core';
import type { PluProgram } from './plu-options';

export const PLU_PATHS = {
  createUser: '/v2/partner/card/users',
  retryKyc: '/v2/partner/card/users/{serviceId}/retry-kyc',
  listUsers: '/v1/partner/card/users',
} as const;

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

export const PluListedUser = t.intersection(
  [t.type({ serviceId: t.string, status: t.string }), t.partial({ email: t.string })],
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
