/**
 * P100 wire types and endpoints. Requests we send are typed in full; responses are decoded with
 * minimal codecs (only the fields kycport reads, extra fields tolerated) because P100's docs show
 * several generations of the same responses. `P100_ENDPOINTS` declares every call the adapter makes.
 */
import * as t from 'io-ts';
import { withLazyRaw } from '@kycport/core';
import type { KycResult, KycState, UserRef } from '@kycport/core';
import { defineEndpoint } from '@kycport/http';
import type { ProviderCodeTable } from '@kycport/http';
import { P100_PROVIDER_ID } from './p100-config';
import { P100_VERIFICATION_CAP_CODES, mapP100VerificationError } from './p100-error';
import type {
  P100DocumentType,
  P100IncomeSource,
  P100Occupation,
  P100OpenAccountReason,
} from './p100-options';

/** `POST /v1/user/balances/crypto-and-fiat` (https://partner-api-docs.p100.io/create-user-account-28597691e0). */
export interface P100CreateUserRequest {
  readonly externalUserId: string;
  readonly hasAcceptedP100Tc: true;
  readonly email: string;
  /** E.164 digits without `+`, e.g. `486012334567`. */
  readonly phone: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly street: string;
  readonly number?: string;
  readonly city: string;
  readonly postCode: string;
  readonly country: string;
  readonly citizenship: string;
  readonly nationality: string;
  readonly birthCountry?: string;
  readonly birthDate: string;
  readonly userIdentificationNumber?: string;
}

/**
 * Both documented response generations: new `{ userId, poaRequiredForExtended }` and old
 * `{ userId, poaRequired, balances }`. Only `userId` is required.
 */
export const P100CreateUserResponse = t.intersection(
  [
    t.type({ userId: t.string }),
    t.partial({ poaRequiredForExtended: t.boolean, poaRequired: t.boolean, balances: t.unknown }),
  ],
  'P100CreateUserResponse',
);
export type P100CreateUserResponse = t.TypeOf<typeof P100CreateUserResponse>;

/** `POST /v1/kyc` (https://partner-api-docs.p100.io/creating-kyc-verification-19688834e0). */
export interface P100StartVerificationRequest {
  readonly externalUserId: string;
  readonly documentType: P100DocumentType;
  readonly country: string;
  readonly incomeSource: P100IncomeSource;
  readonly openAccountReason: P100OpenAccountReason;
  readonly taxId?: string;
  readonly occupation?: P100Occupation;
  readonly additionalInfo?: string;
}

const Identifier = t.union([t.string, t.number]);

/** Undocumented response: decoded loosely; the verification id is looked for as `verificationId` or `id`. */
export const P100StartVerificationResponse = t.partial(
  { verificationId: Identifier, id: Identifier },
  'P100StartVerificationResponse',
);
export type P100StartVerificationResponse = t.TypeOf<typeof P100StartVerificationResponse>;

/** `GET /v1/kyc/status/{externalUserId}`: `{ status, attemptStatus, rejectionReason? }`; values kept open. */
export const P100KycStatusResponse = t.intersection(
  [
    t.type({ status: t.string }),
    t.partial({ attemptStatus: t.union([t.string, t.null]), rejectionReason: t.union([t.string, t.null]) }),
  ],
  'P100KycStatusResponse',
);
export type P100KycStatusResponse = t.TypeOf<typeof P100KycStatusResponse>;

/** `POST /v1/user/verification` (https://partner-api-docs.p100.io/add-user-verification-19651255e0). */
export interface P100AddUserVerificationRequest {
  readonly externalUserId: string;
  readonly documentType: P100DocumentType;
  readonly documentNumber: string;
  /** `YYYY-MM-DD`. */
  readonly documentExpirationDate?: string;
  readonly openAccountReason: P100OpenAccountReason;
  readonly incomeSource: P100IncomeSource;
  readonly occupation?: P100Occupation;
  readonly riskLvl?: string;
}

/** Responses whose body kycport does not read (201 `{ message }`, undocumented upload bodies). */
export const P100AnyResponse = t.unknown;

export { P100ErrorBody } from './p100-error';

/**
 * Every P100 call kycport makes. Only the status GET is idempotent: every POST creates something at
 * P100 (a user, a fee-bearing verification, an upload), so the transport never resends one.
 */
export const P100_ENDPOINTS = {
  /** https://partner-api-docs.p100.io/create-user-account-28597691e0 */
  createUser: defineEndpoint({
    operation: 'createUser',
    method: 'POST',
    path: '/v1/user/balances/crypto-and-fiat',
    // externalUserId is unique at P100, so a resent create fails (P411) instead of duplicating;
    // never resent automatically: createUser resolves a lost answer (and P411) with Get KYC Status.
    idempotent: false,
    response: P100CreateUserResponse,
  }),
  /**
   * https://partner-api-docs.p100.io/creating-kyc-verification-19688834e0. The browser is then sent
   * to `/v1/kyc/verification/{externalUserId}/{verificationId}`, built by `p100VerificationUrl`
   * and never called by the adapter.
   */
  startVerification: defineEndpoint({
    operation: 'startVerification',
    method: 'POST',
    path: '/v1/kyc',
    idempotent: false,
    response: P100StartVerificationResponse,
    // P430 is documented on Add User Verification only; here it is read as the cap by assumption.
    mapError: mapP100VerificationError,
  }),
  /** https://partner-api-docs.p100.io/get-kyc-status-19688846e0 */
  kycStatus: defineEndpoint({
    operation: 'getStatus',
    method: 'GET',
    path: '/v1/kyc/status/{externalUserId}',
    idempotent: true,
    response: P100KycStatusResponse,
  }),
  /** https://partner-api-docs.p100.io/add-kyc-file-19651251e0 (multipart) */
  uploadKycFiles: defineEndpoint({
    operation: 'uploadKycFiles',
    method: 'POST',
    path: '/v1/user/kyc-files/{externalUserId}',
    idempotent: false,
    response: P100AnyResponse,
    // P100 documents "201 Created" for uploads but not the body: accept one that is not JSON.
    tolerateNonJsonSuccess: true,
  }),
  /** https://partner-api-docs.p100.io/add-poa-file-19651252e0 (multipart; P211 arrives as 202) */
  uploadPoaFiles: defineEndpoint({
    operation: 'uploadPoaFiles',
    method: 'POST',
    path: '/v1/user/poa-files/{externalUserId}',
    idempotent: false,
    response: P100AnyResponse,
    tolerateNonJsonSuccess: true,
  }),
  /** https://partner-api-docs.p100.io/add-user-verification-19651255e0 */
  addUserVerification: defineEndpoint({
    operation: 'addUserVerification',
    method: 'POST',
    path: '/v1/user/verification',
    idempotent: false,
    response: P100AnyResponse,
    // "400 P430: Too many verifications" is listed on this page (and on no other).
    mapError: mapP100VerificationError,
  }),
} as const;

/** The codes an endpoint reads on top of `P100_ERROR_CODES` (its `mapError`); for docs and tests. */
export const P100_ENDPOINT_ERROR_CODES: Readonly<
  Partial<Record<keyof typeof P100_ENDPOINTS, ProviderCodeTable>>
> = {
  startVerification: P100_VERIFICATION_CAP_CODES,
  addUserVerification: P100_VERIFICATION_CAP_CODES,
};

/** Response keys redacted from `raw` on top of core's list (wallet addresses, free text). */
export const P100_REDACTED_KEYS: ReadonlyArray<string> = ['wallet', 'additionalInfo'];

/** A port result for `ref`, with the P100 answer(s) as `raw`, redacted when first read. */
export function p100Result(ref: UserRef, state: KycState, raw: unknown): KycResult {
  return withLazyRaw({ provider: P100_PROVIDER_ID, userRef: ref, state }, raw, P100_REDACTED_KEYS);
}
