/**
 * Plu's wire format as the simulator speaks it: paths (under the `/api` prefix of Plu's base URL),
 * the success and error envelopes, the create-user body checks and the error codes. Written here
 * (not imported from @kycport/plu) so the simulators have no dependency on the adapter.
 * Sources: https://docs.getplu.com/api-reference/users/create-user, .../users/retry-kyc,
 * .../users/list-users, https://docs.getplu.com/errors.
 */
import { isIP } from 'node:net';
import type { SimulatorResponse } from '../simulator-server';
import { asRecord } from '../simulator-wire';

/** Plu's base URL ends in `/api` (`https://services-staging.getplu.com/api`); the paths sit below it. */
export const PLU_API_PREFIX = '/api';

/** The Plu API paths the simulator serves, and its stand-in Persona page. */
export const PLU_SIM_PATHS = {
  createUser: `${PLU_API_PREFIX}/v2/partner/card/users`,
  retryKyc: `${PLU_API_PREFIX}/v2/partner/card/users/{serviceId}/retry-kyc`,
  listUsers: `${PLU_API_PREFIX}/v1/partner/card/users`,
  /** The simulator's stand-in for Persona's hosted flow (opened by the user's browser, no auth). */
  verificationPage: '/persona/verify',
} as const;

/**
 * Error codes the simulator answers with. Documented by Plu (https://docs.getplu.com/errors):
 * `DUP_USER`, `USER_NOT_FOUND` (both 400). Not documented (assumptions, see docs/simulators/plu.md,
 * "Rules and their sources"): the 401 code, the validation code (Plu documents the 400/422
 * statuses only), and the codes of the variants of the open refusals: `badRequest` for the
 * `generic-code` variants, and the `named-code` / `distinct-codes` variants' own codes.
 */
export const PLU_SIM_CODES = {
  unauthorized: 'UNAUTHORIZED',
  validation: 'VALIDATION_ERROR',
  badRequest: 'BAD_REQUEST',
  duplicateUser: 'DUP_USER',
  userNotFound: 'USER_NOT_FOUND',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  retryLimit: 'KYC_RETRY_LIMIT_EXCEEDED',
  notDenied: 'KYC_NOT_DENIED',
} as const;

/** `{ status: "error", message: CODE, data: { error } }` (the code in `message`, text in `data.error`). */
export function pluError(status: number, code: string, text: string): SimulatorResponse {
  return { status, body: { status: 'error', message: code, data: { error: text } } };
}

export function pluSuccess(status: number, message: string, data: unknown): SimulatorResponse {
  return { status, body: { status: 'success', message, data } };
}

export type PluProgram = 'custodial' | 'non_custodial';

/** A create-user body that passed the checks. */
export interface PluCreateUserBody {
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

/** Documented length limits ("1-100 characters", ...). */
const BOUNDED_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['firstName', 100],
  ['lastName', 100],
  ['accountPurpose', 200],
  ['address', 500],
  ['city', 100],
  ['region', 100],
  ['postalCode', 20],
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** "International phone number. Example: +14155555555" (E.164). */
const PHONE = /^\+[1-9]\d{6,14}$/;
const COUNTRY = /^[A-Z]{2}$/;
const ETHEREUM_ADDRESS = /^0x[a-fA-F0-9]{40}$/;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Checks a create-user body against the documented constraints. Returns the body, or the problems
 * (each naming a field, never echoing its value).
 */
export function checkCreateUserBody(
  input: unknown,
): { readonly body: PluCreateUserBody } | { readonly problems: ReadonlyArray<string> } {
  const body = asRecord(input);
  if (body === undefined) return { problems: ['the body must be a JSON object'] };
  const problems: string[] = [];
  const text = (field: string): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null) {
      problems.push(`${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push(`${field} must be a string`);
      return undefined;
    }
    return value;
  };
  for (const [field, max] of BOUNDED_FIELDS) {
    const value = text(field);
    if (value !== undefined && (value.trim().length === 0 || value.length > max))
      problems.push(`${field} must be 1-${max} characters`);
  }
  const email = text('email');
  if (email !== undefined && !EMAIL.test(email)) problems.push('email must be a valid email address');
  const phone = text('phoneNumber');
  if (phone !== undefined && !PHONE.test(phone))
    problems.push('phoneNumber must be an international phone number (e.g. +14155555555)');
  const ip = text('ipAddress');
  if (ip !== undefined && isIP(ip) === 0) problems.push('ipAddress must be an IPv4 or IPv6 address');
  const country = text('countryCode');
  if (country !== undefined && !COUNTRY.test(country))
    problems.push('countryCode must be an ISO 3166-1 alpha-2 code (e.g. US)');
  const terms = body.isTermsOfServiceAccepted;
  if (terms === undefined) problems.push('isTermsOfServiceAccepted is required');
  else if (terms !== true) problems.push('isTermsOfServiceAccepted must be true');
  const program = body.program;
  if (program === undefined) problems.push('program is required');
  else if (program !== 'custodial' && program !== 'non_custodial')
    problems.push('program must be custodial or non_custodial');
  const wallet = body.walletAddress;
  if (wallet !== undefined && (typeof wallet !== 'string' || !ETHEREUM_ADDRESS.test(wallet)))
    problems.push('walletAddress must be an Ethereum address');
  if (program === 'non_custodial' && wallet === undefined)
    problems.push('walletAddress is required for the non_custodial program');
  const redirectUrl = body.redirectUrl;
  if (redirectUrl !== undefined && (typeof redirectUrl !== 'string' || !isHttpsUrl(redirectUrl)))
    problems.push('redirectUrl must be an https URL');
  if (problems.length > 0) return { problems };
  return { body: body as unknown as PluCreateUserBody };
}
