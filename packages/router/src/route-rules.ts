/**
 * Which provider a new user goes to. Rules are tried in order, the first that names a provider wins:
 * 1. the caller's explicit choice (`options.provider`);
 * 2. the applicant's country of residence (`applicant.address.country`) in `countries`;
 * 3. the applicant's nationality in `nationalities`;
 * 4. a percentage rollout, keyed by a stable hash of `applicant.externalId` (the same applicant
 *    always lands on the same provider, in every process and after every restart);
 * 5. the default.
 * Calls on an existing user never come here: a ref always goes to the provider that issued it.
 */
import type { CreateUserInput, KycIssue, ProviderId } from '@kycport/core';

/** One provider's share of new applicants in a rollout. */
export interface RolloutShare {
  /** The provider receiving the share. */
  readonly provider: ProviderId;
  /** Share of new applicants, 0 to 100, in steps of 0.01. */
  readonly percent: number;
}

/**
 * How the router chooses a provider for a new user: country, then nationality, then rollout shares,
 * then the default; plus the `createUser` failover order.
 */
export interface RouteRules {
  /** Where new users go when no other rule applies. */
  readonly default: ProviderId;
  /** ISO 3166-1 alpha-2 country of residence -> provider. */
  readonly countries?: Readonly<Record<string, ProviderId>>;
  /** ISO 3166-1 alpha-2 nationality -> provider. */
  readonly nationalities?: Readonly<Record<string, ProviderId>>;
  /** Shares of new applicants by a stable hash of `externalId`; the rest go to `default`. */
  readonly rollout?: ReadonlyArray<RolloutShare>;
  /**
   * `createUser` only, off when absent: when the chosen provider fails with a `network` error whose
   * outcome is `not_sent` (nothing reached it), the next provider of this list is tried.
   */
  readonly failover?: ReadonlyArray<ProviderId>;
}

/** Which rule chose the provider (kept in the router's observer events and results). */
export type RouteReason = 'explicit' | 'country' | 'nationality' | 'rollout' | 'default';

/** The provider the rules chose for a new user, and why. */
export interface RouteChoice {
  /** The chosen provider. */
  readonly provider: ProviderId;
  /** The rule that chose it. */
  readonly reason: RouteReason;
}

const BUCKETS = 10_000;

/**
 * FNV-1a (32 bit) over the UTF-16 code units: tiny, stable across processes and platforms, and
 * well spread for short ids. Hand-written because it is six lines and needs to be synchronous and
 * allocation-free on the createUser path (node:crypto's SHA-256 would do, at ~1 µs a call).
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The applicant's bucket, 0 to 9 999: bucket / 100 is the percentile it falls in. */
export function rolloutBucket(externalId: string): number {
  return stableHash(externalId) % BUCKETS;
}

function rolloutChoice(rollout: ReadonlyArray<RolloutShare>, externalId: string): ProviderId | undefined {
  const bucket = rolloutBucket(externalId);
  let upper = 0;
  for (const share of rollout) {
    upper += Math.round(share.percent * 100);
    if (bucket < upper) return share.provider;
  }
  return undefined;
}

/** The provider a new user goes to, and why. The input is not validated here: the adapter does that. */
export function chooseProvider(
  rules: RouteRules,
  input: CreateUserInput | undefined,
  explicit?: ProviderId,
): RouteChoice {
  if (explicit !== undefined) return { provider: explicit, reason: 'explicit' };
  const applicant = typeof input === 'object' && input !== null ? input.applicant : undefined;
  const country = applicant?.address?.country;
  const byCountry = typeof country === 'string' ? rules.countries?.[country.toUpperCase()] : undefined;
  if (byCountry !== undefined) return { provider: byCountry, reason: 'country' };
  const nationality = applicant?.nationality;
  const byNationality =
    typeof nationality === 'string' ? rules.nationalities?.[nationality.toUpperCase()] : undefined;
  if (byNationality !== undefined) return { provider: byNationality, reason: 'nationality' };
  const externalId = applicant?.externalId;
  if (rules.rollout !== undefined && typeof externalId === 'string') {
    const rolled = rolloutChoice(rules.rollout, externalId);
    if (rolled !== undefined) return { provider: rolled, reason: 'rollout' };
  }
  return { provider: rules.default, reason: 'default' };
}

const COUNTRY = /^[A-Z]{2}$/;

/**
 * What is wrong with a set of rules given the configured providers: a rule naming a provider that is
 * not configured, a country that is not ISO 3166-1 alpha-2, shares outside 0..100 or over 100 in
 * total, a failover list naming an unknown provider. Paths are the option names (`route.countries.PL`).
 */
export function routeRuleIssues(
  rules: RouteRules,
  configured: ReadonlyArray<ProviderId>,
): ReadonlyArray<KycIssue> {
  const issues: KycIssue[] = [];
  const known = (provider: unknown): boolean => typeof provider === 'string' && configured.includes(provider);
  const notConfigured = `must name a configured provider (${configured.join(', ')})`;
  if (!known(rules.default)) issues.push({ path: 'route.default', message: notConfigured });
  for (const [key, table] of [
    ['countries', rules.countries],
    ['nationalities', rules.nationalities],
  ] as const) {
    for (const [country, provider] of Object.entries(table ?? {})) {
      if (!COUNTRY.test(country)) {
        issues.push({
          path: `route.${key}`,
          message: 'keys must be ISO 3166-1 alpha-2 country codes (e.g. PL)',
        });
      } else if (!known(provider)) issues.push({ path: `route.${key}.${country}`, message: notConfigured });
    }
  }
  let total = 0;
  (rules.rollout ?? []).forEach((share, index) => {
    const path = `route.rollout.${index}`;
    if (!known(share.provider)) issues.push({ path: `${path}.provider`, message: notConfigured });
    const valid = typeof share.percent === 'number' && share.percent >= 0 && share.percent <= 100;
    if (!valid || Math.abs(Math.round(share.percent * 100) - share.percent * 100) > 1e-9) {
      issues.push({ path: `${path}.percent`, message: 'must be a number from 0 to 100 in steps of 0.01' });
    } else total += share.percent;
  });
  if (total > 100)
    issues.push({ path: 'route.rollout', message: 'the shares add up to more than 100 percent' });
  (rules.failover ?? []).forEach((provider, index) => {
    if (!known(provider)) issues.push({ path: `route.failover.${index}`, message: notConfigured });
  });
  return issues;
}
