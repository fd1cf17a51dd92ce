/**
 * Plu webhook authenticity: every signature scheme whose headers are present must verify.
 * - Documented (earlier revision of https://docs.getplu.com/webhooks): `X-Webhook-Signature`, the
 *   lowercase hex HMAC-SHA256 of the JSON body keyed with the `whsec_...` secret as-is. Plu's sample
 *   signs `JSON.stringify(req.body)`, so the raw body and its re-serialization are both tried.
 * - Plausible (the current page says only that a `whsec_` secret "verif[ies] webhook signatures";
 *   `whsec_` is the Standard Webhooks / Svix secret prefix, and Persona, Plu's KYC vendor, signs with
 *   `t=,v1=`):
 *   - Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (unix
 *     seconds), `webhook-signature: v1,<base64>` (a space-separated list), HMAC-SHA256 of
 *     `${id}.${timestamp}.${rawBody}` keyed with the base64-decoded secret after `whsec_`; the same
 *     with `svix-id`, `svix-timestamp`, `svix-signature`. A secret whose part after `whsec_` is not
 *     base64 cannot verify this scheme: such deliveries are refused (fail closed), the others not.
 *   - `t=<unix>,v1=<hex>` (Stripe, Persona: https://docs.withpersona.com/docs/webhooks), hex
 *     HMAC-SHA256 of `${t}.${rawBody}` keyed with the secret as-is, in `Plu-Signature`,
 *     `Persona-Signature`, or `X-Webhook-Signature` when that header has this form; space-separated
 *     sets (Persona's secret rotation) and several `v1` per set are accepted when one matches.
 * - Rules: at least one scheme present; every present one verifies (a failing one is never
 *   outvoted); timestamps within `PLU_SIGNATURE_TOLERANCE_MS` (5 minutes, the Standard Webhooks
 *   default) of the clock, either way; comparisons in constant time (`hexDigestEquals` on the MAC
 *   bytes, `constantTimeMatcher` for base64); any
 *   header or body shape gives an answer, never a throw. Reasons name headers, never values.
 */
import { createHmac } from 'node:crypto';
import * as E from 'fp-ts/Either';
import type { WebhookRequest } from '@kycport/core';
import { constantTimeMatcher, hexDigestEquals } from '@kycport/http';

/**
 * The header of Plu's own signature scheme: a hex HMAC-SHA256 of the raw body with the webhook
 * secret.
 */
export const PLU_SIGNATURE_HEADER = 'x-webhook-signature';
/** Headers that may carry a `t=<unix>,v1=<hex>` signature (besides `X-Webhook-Signature`). */
export const PLU_TIMESTAMPED_SIGNATURE_HEADERS = ['plu-signature', 'persona-signature'] as const;
/**
 * Every header (lower case) a Plu delivery can be signed with, one per accepted scheme: its
 * presence marks a delivery as Plu's (`KycWebhookHandler.signatureHeaders`, used by the router to
 * pick the provider on a single webhook URL).
 */
export const PLU_SIGNATURE_HEADERS: ReadonlyArray<string> = [
  PLU_SIGNATURE_HEADER,
  'webhook-signature',
  'svix-signature',
  ...PLU_TIMESTAMPED_SIGNATURE_HEADERS,
];
/** How far a signed timestamp may be from the clock, either way: 5 minutes. */
export const PLU_SIGNATURE_TOLERANCE_MS = 5 * 60_000;
/** Signatures read from one header at most (a longer list is refused, not scanned). */
const MAX_SIGNATURES = 32;
const WHITESPACE = /\s+/;
const PAIR = /^([a-z0-9]+)=(.*)$/i;
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const UNIX_SECONDS = /^\d{1,15}$/;

/** The schemes a delivery can be signed with. */
export type PluSignatureScheme = 'x-webhook-signature' | 'standard-webhooks' | 'svix' | 'timestamped';

/** Options of the signature check: the clock and the tolerance for signed timestamps. */
export interface PluSignatureOptions {
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Default `PLU_SIGNATURE_TOLERANCE_MS`. */
  readonly toleranceMs?: number;
}

type Headers = WebhookRequest['headers'] | undefined;
/** A refusal reason (kycport's words), or the schemes that verified. */
type Checked = E.Either<string, ReadonlyArray<PluSignatureScheme>>;

/** Lowercase hex HMAC-SHA256 of `payload` keyed with the secret as-is (no base64 decoding). */
export function signPluWebhook(payload: string, webhookSecret: string): string {
  return pluMac(payload, webhookSecret).toString('hex');
}

/** The HMAC-SHA256 bytes of `payload` keyed with the secret as-is. */
function pluMac(payload: string, webhookSecret: string): Buffer {
  return createHmac('sha256', webhookSecret).update(payload, 'utf8').digest();
}

/** The outcome of `JSON.parse` on a body: its value, or not JSON. */
export type PluJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * A raw body whose JSON is parsed at most once: the documented scheme re-serializes it, the event
 * parser reads it, and both get the same parse.
 */
export interface PluRawBody {
  readonly raw: string;
  /** `JSON.parse(raw)`, computed on first use and kept. */
  json(): PluJson;
}

/** A `PluRawBody` over `raw`. */
export function pluRawBody(raw: string): PluRawBody {
  let parsed: PluJson | undefined;
  const parse = (): PluJson => {
    try {
      return { ok: true, value: JSON.parse(raw) as unknown };
    } catch {
      return { ok: false };
    }
  };
  return { raw, json: () => (parsed ??= parse()) };
}

/** A header by lower-case name, trimmed; absent when missing or blank. */
type HeaderOf = (name: string) => string | undefined;

/**
 * The headers indexed once per delivery (as `getHeader` reads them: case-insensitive, the first
 * value of a repeated header, the first key that has a text value), instead of one scan of every
 * header per name looked up (nine names).
 */
function headerIndex(headers: Headers): HeaderOf {
  const byName = new Map<string, string>();
  if (typeof headers === 'object' && headers !== null) {
    for (const [key, value] of Object.entries(headers)) {
      const name = key.toLowerCase();
      if (byName.has(name)) continue;
      if (typeof value === 'string') byName.set(name, value);
      else if (Array.isArray(value) && typeof value[0] === 'string') byName.set(name, value[0]);
    }
  }
  return (name) => {
    const value = byName.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
}

/** The body re-serialized (`JSON.stringify(JSON.parse(raw))`), or undefined when it is not JSON. */
function reserialized(body: PluRawBody): string | undefined {
  const json = body.json();
  if (!json.ok) return undefined;
  try {
    return JSON.stringify(json.value);
  } catch {
    return undefined;
  }
}

/** Unix seconds, 1-15 digits. */
function unixSeconds(value: string | undefined): number | undefined {
  return value !== undefined && UNIX_SECONDS.test(value) ? Number(value) : undefined;
}

function withinTolerance(seconds: number, options: PluSignatureOptions): boolean {
  const now = (options.now ?? Date.now)();
  return Math.abs(now - seconds * 1000) <= (options.toleranceMs ?? PLU_SIGNATURE_TOLERANCE_MS);
}

/** Whether any candidate equals `expected`; every candidate is compared (constant time each). */
function anyEqual(candidates: ReadonlyArray<string>, expected: string): boolean {
  const matches = constantTimeMatcher(expected);
  return candidates.reduce((found, candidate) => matches(candidate) || found, false);
}

/** Whether any candidate is the hex (either case) of `mac`; every candidate is compared. */
function anyHexEqual(candidates: ReadonlyArray<string>, mac: Buffer): boolean {
  return candidates.reduce((found, candidate) => hexDigestEquals(mac, candidate) || found, false);
}

/** The documented scheme: hex over the raw body, or over its re-serialization (Plu's sample). */
function verifyDocumentedHex(signature: string, body: PluRawBody, secret: string): boolean {
  const overRaw = hexDigestEquals(pluMac(body.raw, secret), signature);
  const alternative = reserialized(body);
  // Both forms are checked whenever the body is JSON, so timing does not tell which one matched. A
  // compact body is its own re-serialization: its one MAC answers for both forms (the time then
  // says only that the body is compact, which its sender knows).
  const overReserialized =
    alternative !== undefined &&
    (alternative === body.raw ? overRaw : hexDigestEquals(pluMac(alternative, secret), signature));
  return overRaw || overReserialized;
}

/** The Standard Webhooks key: the base64 after `whsec_` (strict alphabet, canonical), else undefined. */
export function pluStandardWebhookKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  const canonical = (text: string): string => text.replace(/=+$/, '');
  return key.length > 0 && canonical(key.toString('base64')) === canonical(encoded) ? key : undefined;
}

/** `webhook-*` or `svix-*`: present when any of the three headers is; then all three must verify. */
function checkStandard(
  header: HeaderOf,
  prefix: 'webhook' | 'svix',
  raw: string,
  secret: string,
  options: PluSignatureOptions,
): E.Either<string, boolean> {
  const scheme = `Standard Webhooks (${prefix}-* headers)`;
  const [id, timestamp, signature] = ['id', 'timestamp', 'signature'].map((part) =>
    header(`${prefix}-${part}`),
  );
  if (id === undefined && timestamp === undefined && signature === undefined) return E.right(false);
  const missing = [
    ['id', id],
    ['timestamp', timestamp],
    ['signature', signature],
  ].find(([, value]) => value === undefined);
  if (missing !== undefined) return E.left(`${scheme}: the ${prefix}-${missing[0]} header is missing`);
  const seconds = unixSeconds(timestamp);
  if (seconds === undefined) return E.left(`${scheme}: ${prefix}-timestamp is not a unix time in seconds`);
  const key = pluStandardWebhookKey(secret);
  if (key === undefined)
    return E.left(
      `${scheme}: the webhook secret after whsec_ is not base64, so this scheme cannot be verified (check PLU_WEBHOOK_SECRET)`,
    );
  const entries = (signature ?? '').split(WHITESPACE);
  if (entries.length > MAX_SIGNATURES)
    return E.left(`${scheme}: ${prefix}-signature lists too many signatures`);
  const candidates = entries.filter((entry) => entry.startsWith('v1,')).map((entry) => entry.slice(3));
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`, 'utf8').digest('base64');
  if (!anyEqual(candidates, expected)) return E.left(`${scheme}: the signature does not match the body`);
  if (!withinTolerance(seconds, options))
    return E.left(`${scheme}: ${prefix}-timestamp is outside the 5-minute tolerance`);
  return E.right(true);
}

interface SignedSet {
  readonly seconds: number | undefined;
  readonly signatures: ReadonlyArray<string>;
}

/** `t=1,v1=ab[,v1=cd] [t=2,v1=ef]` -> the sets; undefined when the value is not of this form. */
function timestampedSets(value: string): ReadonlyArray<SignedSet> | undefined {
  const sets = value.split(WHITESPACE);
  if (sets.length > MAX_SIGNATURES) return undefined;
  const parsed = sets.map((set): SignedSet | undefined => {
    const pairs = set.split(',').map((pair) => PAIR.exec(pair));
    if (pairs.length > MAX_SIGNATURES || pairs.some((pair) => pair === null)) return undefined;
    const times = pairs.filter((pair) => pair?.[1] === 't').map((pair) => pair?.[2]);
    const signatures = pairs
      .filter((pair) => pair?.[1] === 'v1')
      .map((pair) => (pair?.[2] ?? '').toLowerCase());
    return times.length === 1 && signatures.length > 0
      ? { seconds: unixSeconds(times[0]), signatures }
      : undefined;
  });
  return parsed.every((set) => set !== undefined) ? (parsed as ReadonlyArray<SignedSet>) : undefined;
}

/** Whether a header value is meant as `t=...,v1=...` (so `X-Webhook-Signature` can carry either form). */
function looksTimestamped(value: string): boolean {
  return /(^|[\s,])t=/.test(value) || /(^|[\s,])v1=/.test(value);
}

function checkTimestamped(
  name: string,
  value: string,
  raw: string,
  secret: string,
  options: PluSignatureOptions,
): E.Either<string, true> {
  const sets = timestampedSets(value);
  if (sets === undefined) return E.left(`${name}: not a t=<unix>,v1=<hex> signature`);
  const verified = sets.map((set) => ({
    matches:
      set.seconds !== undefined && anyHexEqual(set.signatures, pluMac(`${set.seconds}.${raw}`, secret)),
    set,
  }));
  const matching = verified.filter((entry) => entry.matches);
  if (matching.length === 0) return E.left(`${name}: the signature does not match the body`);
  if (
    !matching.some((entry) => entry.set.seconds !== undefined && withinTolerance(entry.set.seconds, options))
  )
    return E.left(`${name}: t is outside the 5-minute tolerance`);
  return E.right(true);
}

/** `X-Webhook-Signature`: 64 hex digits (documented), or the `t=,v1=` form. */
function checkDocumentedHeader(
  value: string,
  body: PluRawBody,
  secret: string,
  options: PluSignatureOptions,
): E.Either<string, PluSignatureScheme> {
  if (HEX_SIGNATURE.test(value))
    return verifyDocumentedHex(value, body, secret)
      ? E.right('x-webhook-signature')
      : E.left('X-Webhook-Signature: the signature does not match the body');
  if (looksTimestamped(value))
    return E.map((): PluSignatureScheme => 'timestamped')(
      checkTimestamped('X-Webhook-Signature', value, body.raw, secret, options),
    );
  return E.left('X-Webhook-Signature: neither a hex HMAC-SHA256 nor a t=<unix>,v1=<hex> signature');
}

/** Each present scheme, verified; the first failure is the answer. Never throws. */
export function checkPluWebhookSignature(
  headers: Headers,
  raw: string,
  secret: string,
  options: PluSignatureOptions = {},
): Checked {
  return checkPluBodySignature(headers, pluRawBody(raw), secret, options);
}

/**
 * `checkPluWebhookSignature` over a `PluRawBody`, so the JSON parse the documented scheme needs is
 * the one the event parser then reads.
 */
export function checkPluBodySignature(
  headers: Headers,
  body: PluRawBody,
  secret: string,
  options: PluSignatureOptions = {},
): Checked {
  const verified: PluSignatureScheme[] = [];
  const header = headerIndex(headers);
  const raw = body.raw;
  const documented = header(PLU_SIGNATURE_HEADER);
  if (documented !== undefined) {
    const checked = checkDocumentedHeader(documented, body, secret, options);
    if (E.isLeft(checked)) return checked;
    verified.push(checked.right);
  }
  for (const prefix of ['webhook', 'svix'] as const) {
    const checked = checkStandard(header, prefix, raw, secret, options);
    if (E.isLeft(checked)) return checked;
    if (checked.right) verified.push(prefix === 'webhook' ? 'standard-webhooks' : 'svix');
  }
  for (const name of PLU_TIMESTAMPED_SIGNATURE_HEADERS) {
    const value = header(name);
    if (value === undefined) continue;
    const display = name === 'plu-signature' ? 'Plu-Signature' : 'Persona-Signature';
    const checked = checkTimestamped(display, value, raw, secret, options);
    if (E.isLeft(checked)) return checked;
    verified.push('timestamped');
  }
  if (verified.length === 0)
    return E.left(
      'no signature header (X-Webhook-Signature, webhook-signature, svix-signature, Plu-Signature or Persona-Signature)',
    );
  return E.right(verified);
}
