/**
 * Reusable io-ts codecs for the values the domain is made of. Each refinement has a readable name,
 * because the name is what a validation error reports (never the offending value, which may be
 * personal data).
 */
import * as t from 'io-ts';

/** A codec whose failure message is `expected <description>`, keeping the value out of errors. */
export function refined<A>(
  base: t.Type<A, A, unknown>,
  predicate: (value: A) => boolean,
  description: string,
): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    description,
    (input): input is A => base.is(input) && predicate(input),
    (input, context) => {
      const decoded = base.validate(input, context);
      if (decoded._tag === 'Left') return t.failure(input, context, `expected ${description}`);
      return predicate(decoded.right)
        ? t.success(decoded.right)
        : t.failure(input, context, `expected ${description}`);
    },
    t.identity,
  );
}

/** A string with at least one non-whitespace character and at most `max` characters. */
export function boundedString(max: number, min = 1): t.Type<string, string, unknown> {
  return refined(
    t.string,
    (value) => value.length >= min && value.length <= max && value.trim().length > 0,
    `a non-blank string of ${min}-${max} characters`,
  );
}

/** A string with at least one non-whitespace character. */
export const NonEmptyString = refined(t.string, (value) => value.trim().length > 0, 'a non-blank string');

/** E.164: a plus sign and 8 to 15 digits, first digit not zero. */
export const E164Phone = refined(
  t.string,
  (value) => /^\+[1-9]\d{7,14}$/.test(value),
  'an E.164 phone number',
);

/** ISO 3166-1 alpha-2, upper case. Format is checked, not membership in the current list. */
export const CountryCode = refined(
  t.string,
  (value) => /^[A-Z]{2}$/.test(value),
  'an ISO 3166-1 alpha-2 country code',
);

/** A calendar date `YYYY-MM-DD` that exists (2001-02-29 does not). */
export const IsoDate = refined(
  t.string,
  (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  },
  'a calendar date YYYY-MM-DD',
);

/**
 * A pragmatic email check (one `@`, a dot in the domain, no spaces, at most 254 characters);
 * providers run their own RFC checks.
 */
export const EmailAddress = refined(
  t.string,
  (value) => value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  'an email address',
);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** IPv4 dotted quad or an IPv6 address (hex groups and colons, optional embedded IPv4). */
export const IpAddress = refined(
  t.string,
  (value) => IPV4.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]{2,45}$/.test(value)),
  'an IPv4 or IPv6 address',
);

/** An absolute `https:` URL. */
export const HttpsUrl = refined(
  t.string,
  (value) => {
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  },
  'an https URL',
);

/** An absolute `http:` or `https:` URL (base URLs; plain http is allowed for local simulators). */
export const HttpUrl = refined(
  t.string,
  (value) => {
    try {
      const protocol = new URL(value).protocol;
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  },
  'an http(s) URL',
);

/** A whole number of milliseconds in [min, max]. */
export function integerInRange(min: number, max: number): t.Type<number, number, unknown> {
  return refined(
    t.number,
    (value) => Number.isInteger(value) && value >= min && value <= max,
    `an integer from ${min} to ${max}`,
  );
}
