/**
 * P100's wire format as the simulator speaks it: error bodies, the 401 texts, and the request
 * checks of each endpoint. Written here (not imported from `@kycport/p100`) so the simulators never
 * depend on an adapter. Sources: P100's Partner API docs (error handling, Create User Account,
 * Creating KYC Verification, Add POA File, Add User Verification).
 */
import type { SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { asRecord } from '../simulator-wire';

export const DOCUMENT_TYPES = ['ID_CARD', 'PASSPORT', 'RESIDENCE_PERMIT', 'DRIVER_LICENSE'] as const;
export const INCOME_SOURCES = [
  'BUSINESS_ACTIVITY',
  'SALARY',
  'OTHER',
  'MAINTAINED_BY_FAMILY',
  'INVESTMENTS',
  'SOCIAL_BENEFITS',
  'TENANCY',
] as const;
/** `INVESTMENTS_OR_CRYPTOCURRENCIE` is spelled as P100 spells it. */
export const OPEN_ACCOUNT_REASONS = [
  'INVESTMENTS_OR_CRYPTOCURRENCIE',
  'CURRENCY_EXCHANGE',
  'DAILY_USE',
  'GAMING_OR_GAMBLING',
  'TRANSFER_OF_FUNDS_OUTSIDE_OF_EUROPE',
] as const;
export const OCCUPATIONS = [
  'IT',
  'HEALTHCARE_AND_MEDICAL_SERVICES',
  'FINANCE_AND_ACCOUNTING',
  'EDUCATION_AND_TEACHING',
  'SALES_AND_MARKETING',
  'ENGINEERING',
  'CUSTOMER_SERVICE',
  'ADMINISTRATION_AND_OFFICE_MANAGEMENT',
  'LEGAL_SERVICES',
  'ARTS_AND_DESIGN',
  'RETAIL_AND_SALES',
  'CONSTRUCTION_AND_TRADES',
  'HUMAN_RESOURCES',
  'MANUFACTURING_AND_PRODUCTION',
  'SCIENCE_AND_RESEARCH',
] as const;

export const VERIFICATION_STATUSES = ['NOT_VERIFIED', 'VERIFIED', 'EXPIRED'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
export const ATTEMPT_STATUSES = ['PENDING', 'VERIFICATION', 'REJECTED_BY_PROVIDER', 'SUCCESSFUL'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
export const POA_STATUSES = ['WAITING', 'APPROVED', 'REJECTED', 'QUESTIONED'] as const;
export type PoaStatus = (typeof POA_STATUSES)[number];

/** Add POA File: "up to 3 files (max 5MB each)" of these types; the simulator applies the same to KYC files. */
export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const FILE_TYPES: ReadonlyArray<string> = ['image/jpeg', 'image/png', 'image/jpg', 'application/pdf'];

/** Countries whose users need a proof of address (older P100 docs): `poaRequiredForExtended: true`. */
export const POA_COUNTRIES: ReadonlyArray<string> = ['AM', 'AR', 'AZ', 'GE', 'IL', 'MD', 'UA'];

/** The documented error codes the simulator answers, with their HTTP status, `errorName` and message. */
export const P100_ERRORS = {
  P211: { status: 202, name: 'poa-pending', message: 'POA pending' },
  // Not in the official error table; `user-exists` is what P100 answers in the wild.
  P411: { status: 400, name: 'user-exists', message: 'User already exists' },
  P412: { status: 400, name: 'invalid-user', message: 'User does not exist' },
  P426: { status: 400, name: 'invalid-file-type', message: 'Invalid file type' },
  P427: { status: 404, name: 'missing-kyc-files', message: 'Missing KYC files' },
  P430: { status: 400, name: 'too-many-verifications', message: 'Too many verifications' },
  P440: { status: 400, name: 'file-too-large', message: 'File too large' },
  P442: { status: 400, name: 'user-already-verified', message: 'User already verified' },
  P445: { status: 404, name: 'kyc-not-found', message: 'KYC not found' },
  P446: { status: 400, name: 'kyc-not-valid', message: 'KYC is not valid or expired' },
  P447: { status: 400, name: 'poa-already-verified', message: 'POA already verified' },
  P466: { status: 400, name: 'document-number-exists', message: 'User exists with this document number' },
  P473: { status: 400, name: 'missing-required-parameters', message: 'Missing required parameters' },
  // Not a P100 code: the simulator's stand-in for an undocumented refusal (`startVerificationCap: 'other_code'`).
  P499: { status: 400, name: 'verification-limit', message: 'Verification limit reached' },
  P500: { status: 400, name: 'unknown-exception', message: 'Unknown exception' },
  P501: { status: 400, name: 'service-unavailable', message: 'Service temporarily unavailable' },
} as const;
export type P100ErrorCode = keyof typeof P100_ERRORS;

/** `{ errorCode, errorName, errorMessage }` with P100's (irregular) HTTP status for the code. */
export function p100Error(code: P100ErrorCode, message?: string): SimulatorResponse {
  const entry = P100_ERRORS[code];
  return {
    status: entry.status,
    body: { errorCode: code, errorName: entry.name, errorMessage: message ?? entry.message },
  };
}

/** P403: always HTTP 400, no `errorName`, the messages concatenated. */
export function validationError(messages: ReadonlyArray<string>): SimulatorResponse {
  return { status: 400, body: { errorCode: 'P403', errorMessage: messages.join(' ') } };
}

/** The documented 401 texts: `xo1` no key, `xo2` wrong key (`xo3`, the IP allowlist, is production only). */
export function accessDenied(code: 'xo1' | 'xo2'): SimulatorResponse {
  return { status: 401, body: `Access Denied. ${code}` };
}

type Body = Readonly<Record<string, unknown>>;

/** The body when it is a JSON object. */
export function jsonBody(request: SimulatorRequest): Body | undefined {
  return request.bodyIsJson ? asRecord(request.body) : undefined;
}

export function notAnObject(): SimulatorResponse {
  return validationError(['The request body must be a JSON object.']);
}

/** Collects P403 messages (present but invalid) and P473 names (missing), in field order. */
export class Checks {
  readonly invalid: string[] = [];
  readonly missing: string[] = [];

  constructor(private readonly body: Body) {}

  private present(field: string): boolean {
    const value = this.body[field];
    return value !== undefined && value !== null && value !== '';
  }

  /** A non-blank string of at most `max` characters; `required` decides missing vs optional. */
  text(field: string, required: boolean, max = 255): string | undefined {
    if (!this.present(field)) {
      if (required) this.missing.push(field);
      return undefined;
    }
    const value = this.body[field];
    if (typeof value !== 'string' || value.trim() === '') {
      this.invalid.push(`${field} must be a string.`);
      return undefined;
    }
    if (value.length > max) {
      this.invalid.push(`${field} must be shorter than or equal to ${max} characters.`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, values: ReadonlyArray<T>, required: boolean): T | undefined {
    const value = this.text(field, required);
    if (value === undefined) return undefined;
    if (!(values as ReadonlyArray<string>).includes(value)) {
      this.invalid.push(`${field} must be one of the following values: ${values.join(', ')}.`);
      return undefined;
    }
    return value as T;
  }

  matches(field: string, pattern: RegExp, description: string, required: boolean): string | undefined {
    const value = this.text(field, required);
    if (value === undefined) return undefined;
    if (!pattern.test(value)) {
      this.invalid.push(`${field} must be ${description}.`);
      return undefined;
    }
    return value;
  }

  country(field: string, required: boolean): string | undefined {
    return this.matches(field, /^[A-Z]{2}$/, 'a valid ISO 3166-1 alpha-2 country code', required);
  }

  date(field: string, required: boolean): string | undefined {
    const value = this.matches(field, /^\d{4}-\d{2}-\d{2}$/, 'a valid date (YYYY-MM-DD)', required);
    if (value === undefined) return undefined;
    const parsed = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
      this.invalid.push(`${field} must be a valid date (YYYY-MM-DD).`);
      return undefined;
    }
    return value;
  }
}

/** The P403 messages of `checks`, missing fields included (create user and `/v1/kyc` report them so). */
export function missingAsInvalid(checks: Checks): string[] {
  return [...checks.missing.map((field) => `${field} should not be empty.`), ...checks.invalid];
}

/** `POST /v1/kyc`: which income sources make `taxId`, `occupation` and `additionalInfo` required. */
export function fieldsRequiredBy(incomeSource: (typeof INCOME_SOURCES)[number]): ReadonlyArray<string> {
  switch (incomeSource) {
    case 'BUSINESS_ACTIVITY':
      return ['taxId'];
    case 'SALARY':
      return ['occupation', 'additionalInfo'];
    default:
      return ['additionalInfo'];
  }
}
