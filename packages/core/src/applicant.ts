/**
 * The provider-neutral applicant. Only `externalId` is required here: each adapter states which
 * other fields its provider needs, and reports a missing one as a `validation` error naming the
 * path (`applicant.phone`) before any request is made.
 */
import * as t from 'io-ts';
import { CountryCode, E164Phone, EmailAddress, IpAddress, IsoDate, boundedString } from './codecs';

/** Codec of an applicant's name: `given` and `family` (each 1-100 characters), optional `middle`. */
export const PersonName = t.intersection(
  [
    t.type({ given: boundedString(100), family: boundedString(100) }),
    t.partial({ middle: boundedString(100) }),
  ],
  'PersonName',
);
/** An applicant's name: `given` and `family` required, `middle` optional. */
export type PersonName = t.TypeOf<typeof PersonName>;

/**
 * Codec of a postal address: `line1`, `city` and an ISO 3166-1 alpha-2 `country`, with optional `line2`,
 * `houseNumber`, `region` and `postalCode`.
 */
export const Address = t.intersection(
  [
    t.type({
      /** Street line as printed, e.g. `123 Main Street`. */
      line1: boundedString(200),
      city: boundedString(100),
      /** ISO 3166-1 alpha-2. */
      country: CountryCode,
    }),
    t.partial({
      line2: boundedString(100),
      /** For providers that take the house number separately (P100); when absent, `line1` is sent whole. */
      houseNumber: boundedString(20),
      /** State, province or region; ISO 3166-2 subdivision code without country prefix where known (`CA`). */
      region: boundedString(100),
      postalCode: boundedString(20),
    }),
  ],
  'Address',
);
/** A postal address as adapters receive it; each adapter maps it to its provider's fields. */
export type Address = t.TypeOf<typeof Address>;

/** Codec of a national id number: a provider-neutral `type` and its `value`. */
export const IdNumber = t.type(
  {
    /** Provider-neutral id type, e.g. `us_ssn`, `us_ssn_last_4`, `pl_pesel`, `national_id`. */
    type: boundedString(40),
    /** Alphanumeric value with formatting characters stripped. */
    value: boundedString(64),
  },
  'IdNumber',
);
/** A national id number (an SSN, a PESEL, ...), with formatting characters stripped from `value`. */
export type IdNumber = t.TypeOf<typeof IdNumber>;

/**
 * Codec of the provider-neutral applicant: only `externalId` is required; adapters check the fields their
 * provider needs and report a missing one as a `validation` error.
 */
export const Applicant = t.intersection(
  [
    t.type({
      /** The host's own user id (no personal data). Plaid's client_user_id, P100's externalUserId. */
      externalId: boundedString(128),
    }),
    t.partial({
      name: PersonName,
      email: EmailAddress,
      /** E.164, e.g. `+14155555555`. */
      phone: E164Phone,
      /** `YYYY-MM-DD`. */
      dateOfBirth: IsoDate,
      address: Address,
      /** ISO 3166-1 alpha-2. */
      nationality: CountryCode,
      /** The user's IP address when they registered. */
      ipAddress: IpAddress,
      idNumber: IdNumber,
      /** The user accepted the provider's terms (Plu and P100 require `true`; Plaid's `gave_consent`). */
      termsAccepted: t.boolean,
    }),
  ],
  'Applicant',
);
/**
 * The person to verify, as the host knows them: its own `externalId` plus whatever personal data the
 * configured provider needs.
 */
export type Applicant = t.TypeOf<typeof Applicant>;
