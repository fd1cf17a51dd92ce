/**
 * `providerOptions.p100`: the P100-only values kycport's neutral input has no field for. The same
 * slice is read by `createUser`, `retry` and `submitVerification`; each call checks the fields it needs.
 */
import type * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { CountryCode, boundedString, decodeInput } from '@kycport/core';
import type { KycError, ProviderOptions } from '@kycport/core';
import { P100RiskLevel, P100_PROVIDER_ID } from './p100-config';

/** Where the options sit in a call's input; issues about them are reported under this path. */
export const P100_OPTIONS_PATH = 'providerOptions.p100';

/** Enums of `POST /v1/kyc` (https://p-100.github.io/partner-api-docs/general/api/kyc). */
export const P100DocumentType = t.keyof(
  { ID_CARD: null, PASSPORT: null, RESIDENCE_PERMIT: null, DRIVER_LICENSE: null },
  'P100DocumentType',
);
export type P100DocumentType = t.TypeOf<typeof P100DocumentType>;

/** Codec of the user's source of income, as P100 spells it. */
export const P100IncomeSource = t.keyof(
  {
    BUSINESS_ACTIVITY: null,
    SALARY: null,
    OTHER: null,
    MAINTAINED_BY_FAMILY: null,
    INVESTMENTS: null,
    SOCIAL_BENEFITS: null,
    TENANCY: null,
  },
  'P100IncomeSource',
);
/**
 * The user's source of income (`SALARY`, `BUSINESS_ACTIVITY`, ...); it decides which other fields
 * P100 requires.
 */
export type P100IncomeSource = t.TypeOf<typeof P100IncomeSource>;

/** `INVESTMENTS_OR_CRYPTOCURRENCIE` is spelled as P100 spells it. */
export const P100OpenAccountReason = t.keyof(
  {
    INVESTMENTS_OR_CRYPTOCURRENCIE: null,
    CURRENCY_EXCHANGE: null,
    DAILY_USE: null,
    GAMING_OR_GAMBLING: null,
    TRANSFER_OF_FUNDS_OUTSIDE_OF_EUROPE: null,
  },
  'P100OpenAccountReason',
);
export type P100OpenAccountReason = t.TypeOf<typeof P100OpenAccountReason>;

/** Codec of the user's occupation, as P100 spells it. */
export const P100Occupation = t.keyof(
  {
    IT: null,
    HEALTHCARE_AND_MEDICAL_SERVICES: null,
    FINANCE_AND_ACCOUNTING: null,
    EDUCATION_AND_TEACHING: null,
    SALES_AND_MARKETING: null,
    ENGINEERING: null,
    CUSTOMER_SERVICE: null,
    ADMINISTRATION_AND_OFFICE_MANAGEMENT: null,
    LEGAL_SERVICES: null,
    ARTS_AND_DESIGN: null,
    RETAIL_AND_SALES: null,
    CONSTRUCTION_AND_TRADES: null,
    HUMAN_RESOURCES: null,
    MANUFACTURING_AND_PRODUCTION: null,
    SCIENCE_AND_RESEARCH: null,
  },
  'P100Occupation',
);
/** The user's occupation; required when the income source is `SALARY`. */
export type P100Occupation = t.TypeOf<typeof P100Occupation>;

/**
 * Codec of `providerOptions.p100`: the P100-only fields kycport's neutral input has none for
 * (citizenship, income source, occupation, risk level, ...) and the retry switches.
 */
export const P100ProviderOptions = t.partial(
  {
    /** Create user: `citizenship` (mandatory at P100); default `applicant.nationality`. */
    citizenship: CountryCode,
    /** Create user: `nationality`; default `applicant.nationality`. */
    nationality: CountryCode,
    /** Create user: `birthCountry` (omitted when absent). */
    birthCountry: CountryCode,
    /** Start verification: country of residence; `createUser` defaults it to `applicant.address.country`. */
    country: CountryCode,
    /** Start verification / document files: the document the user will show. */
    documentType: P100DocumentType,
    /** Start verification and Add User Verification: the user's source of income. */
    incomeSource: P100IncomeSource,
    /** Start verification and Add User Verification: why the user opens the account. */
    openAccountReason: P100OpenAccountReason,
    /** Required when `incomeSource` is `SALARY`. */
    occupation: P100Occupation,
    /** Required when `incomeSource` is `BUSINESS_ACTIVITY` ("client's tax residency list"). */
    taxId: boundedString(200),
    /** Required when `incomeSource` is anything but `BUSINESS_ACTIVITY` (start verification only). */
    additionalInfo: boundedString(500),
    /** Add User Verification `riskLvl`; default: the configuration's `defaultRiskLevel`, else omitted. */
    riskLvl: P100RiskLevel,
    /**
     * `retry` with `kycMethod: 'document_upload'`: start a hosted (fee-bearing) verification instead
     * of asking for new files and data. Ignored with the hosted method (which always starts one).
     */
    startHostedVerification: t.boolean,
    /**
     * `retry` / an empty hosted `submitVerification`: start a new attempt although the latest one
     * is `PENDING` (not finished), e.g. after `redirect_unavailable`. Default: refused.
     */
    replacePendingAttempt: t.boolean,
  },
  'P100ProviderOptions',
);
/**
 * P100's provider options (`providerOptions.p100`), read by `createUser`, `retry` and
 * `submitVerification`.
 */
export type P100ProviderOptions = t.TypeOf<typeof P100ProviderOptions>;

/** Decodes `providerOptions.p100` of a call (absent: no options). */
export function decodeP100ProviderOptions(
  providerOptions: ProviderOptions | undefined,
): E.Either<KycError, P100ProviderOptions> {
  return decodeInput(
    P100_PROVIDER_ID,
    P100ProviderOptions,
    providerOptions?.[P100_PROVIDER_ID] ?? {},
    P100_OPTIONS_PATH,
  );
}

declare module '@kycport/core' {
  interface KycCreateUserProviderOptions {
    /** `providerOptions.p100` of `createUser`, typed whenever `@kycport/p100` is imported. */
    readonly [P100_PROVIDER_ID]: P100ProviderOptions;
  }
  interface KycRetryProviderOptions {
    /** `providerOptions.p100` of `retry` (the same slice: each call checks the fields it needs). */
    readonly [P100_PROVIDER_ID]: P100ProviderOptions;
  }
  interface KycSubmitVerificationProviderOptions {
    /** `providerOptions.p100` of `submitVerification` (the same slice). */
    readonly [P100_PROVIDER_ID]: P100ProviderOptions;
  }
}
