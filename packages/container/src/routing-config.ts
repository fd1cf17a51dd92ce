/**
 * Several providers in one configuration: which are configured, the default for new users, the
 * routing rules and the provider of bare (legacy) refs. From a config object:
 *   `{ provider: 'plaid', providers: ['plu', 'plaid'], route: { countries: { PL: 'p100' } }, ... }`
 * or from environment variables:
 *   KYC_PROVIDERS=plu,plaid          every configured provider (default: KYC_PROVIDER alone)
 *   KYC_PROVIDER=plaid               the default for new users
 *   KYC_ROUTE_COUNTRY_PL=p100        country of residence -> provider
 *   KYC_ROUTE_NATIONALITY_UA=plaid   nationality -> provider
 *   KYC_ROLLOUT=plaid:25,p100:5      shares of new applicants (stable hash of externalId)
 *   KYC_FAILOVER=plu,plaid           createUser failover order (off when unset)
 *   KYC_LEGACY_REF_PROVIDER=plu      the provider of bare refs stored before refs were qualified
 * Every issue names the key or variable, never a value.
 */
import * as E from 'fp-ts/Either';
import { configError } from '@kycport/core';
import type { ConfigError, Environment, KycIssue, ProviderId } from '@kycport/core';
import { routeRuleIssues } from '@kycport/router';
import type { RolloutShare, RouteRules } from '@kycport/router';

/** The environment variable listing every configured provider, comma-separated (`plu,plaid`). */
export const PROVIDERS_VARIABLE = 'KYC_PROVIDERS';
/**
 * The environment variable with the rollout shares of new users: `provider:percent` pairs
 * (`plaid:25,p100:5`).
 */
export const ROLLOUT_VARIABLE = 'KYC_ROLLOUT';
/**
 * The environment variable with the `createUser` failover order (`plaid,plu`); failover is off when
 * unset.
 */
export const FAILOVER_VARIABLE = 'KYC_FAILOVER';
/**
 * The environment variable naming the provider of bare (unqualified) user refs, with several
 * providers.
 */
export const LEGACY_REF_PROVIDER_VARIABLE = 'KYC_LEGACY_REF_PROVIDER';
const COUNTRY_PREFIX = 'KYC_ROUTE_COUNTRY_';
const NATIONALITY_PREFIX = 'KYC_ROUTE_NATIONALITY_';

/** The routing part of a `KycConfig` (the default is `provider`). */
export interface KycRoutingConfig {
  /** Every configured provider; default `[provider]`. Each needs its settings under its id. */
  readonly providers?: ReadonlyArray<ProviderId>;
  readonly route?: Omit<RouteRules, 'default'>;
  /** The provider of bare refs (stored before refs named their provider), with several providers. */
  readonly legacyRefProvider?: ProviderId;
}

/** Issues of the routing part, with paths as config keys (`route.countries.PL`, `providers`). */
export function routingIssues(
  defaultProvider: ProviderId,
  routing: KycRoutingConfig,
): ReadonlyArray<KycIssue> {
  const providers = routing.providers ?? [defaultProvider];
  const issues: KycIssue[] = [];
  if (!Array.isArray(providers) || providers.length === 0) {
    return [{ path: 'providers', message: 'must list at least one provider' }];
  }
  providers.forEach((id, index) => {
    if (providers.indexOf(id) !== index) issues.push({ path: 'providers', message: `lists "${id}" twice` });
  });
  if (!providers.includes(defaultProvider)) {
    issues.push({ path: 'provider', message: 'the default provider must be one of providers' });
  }
  issues.push(
    ...routeRuleIssues({ ...(routing.route ?? {}), default: defaultProvider }, providers).filter(
      (issue) => issue.path !== 'route.default',
    ),
  );
  if (routing.legacyRefProvider !== undefined && !providers.includes(routing.legacyRefProvider)) {
    issues.push({
      path: 'legacyRefProvider',
      message: `must name a configured provider (${providers.join(', ')})`,
    });
  }
  return issues;
}

function list(text: string | undefined): ReadonlyArray<string> | undefined {
  const trimmed = text?.trim();
  return trimmed
    ? trimmed
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : undefined;
}

function rolloutFromEnv(
  text: string | undefined,
  issues: KycIssue[],
): ReadonlyArray<RolloutShare> | undefined {
  const items = list(text);
  if (items === undefined) return undefined;
  return items.flatMap((item) => {
    const match = /^([a-z][a-z0-9_-]*):(\d{1,3}(?:\.\d{1,2})?)$/.exec(item);
    if (match === null) {
      issues.push({
        path: ROLLOUT_VARIABLE,
        message: 'expected provider:percent pairs, e.g. plaid:25,p100:5',
      });
      return [];
    }
    return [{ provider: match[1] ?? '', percent: Number(match[2]) }];
  });
}

function tableFromEnv(
  env: Environment,
  prefix: string,
  issues: KycIssue[],
): Readonly<Record<string, ProviderId>> | undefined {
  const entries = Object.entries(env)
    .filter(([name, value]) => name.startsWith(prefix) && value !== undefined && value.trim() !== '')
    .map(([name, value]) => {
      const country = name.slice(prefix.length);
      if (!/^[A-Z]{2}$/.test(country)) {
        issues.push({ path: name, message: 'must end in an ISO 3166-1 alpha-2 country code, e.g. PL' });
      }
      return [country, (value ?? '').trim()] as const;
    });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The variable an issue of `routingIssues` is about, for messages from the environment. */
function variableOf(path: string): string {
  const country = /^route\.(countries|nationalities)\.([A-Z]{2})$/.exec(path);
  if (country) return `${country[1] === 'countries' ? COUNTRY_PREFIX : NATIONALITY_PREFIX}${country[2]}`;
  if (path.startsWith('route.rollout')) return ROLLOUT_VARIABLE;
  if (path.startsWith('route.failover')) return FAILOVER_VARIABLE;
  if (path === 'legacyRefProvider') return LEGACY_REF_PROVIDER_VARIABLE;
  if (path === 'providers') return PROVIDERS_VARIABLE;
  if (path === 'provider') return 'KYC_PROVIDER';
  return path;
}

/** Reads the routing variables; a bad value is a `config` error naming the variable. */
export function routingConfigFromEnv(
  env: Environment,
  defaultProvider: ProviderId,
): E.Either<ConfigError, KycRoutingConfig> {
  const issues: KycIssue[] = [];
  const providers = list(env[PROVIDERS_VARIABLE]);
  const countries = tableFromEnv(env, COUNTRY_PREFIX, issues);
  const nationalities = tableFromEnv(env, NATIONALITY_PREFIX, issues);
  const rollout = rolloutFromEnv(env[ROLLOUT_VARIABLE], issues);
  const failover = list(env[FAILOVER_VARIABLE]);
  const legacyRefProvider = env[LEGACY_REF_PROVIDER_VARIABLE]?.trim() || undefined;
  const route = {
    ...(countries ? { countries } : {}),
    ...(nationalities ? { nationalities } : {}),
    ...(rollout ? { rollout } : {}),
    ...(failover ? { failover } : {}),
  };
  const routing: KycRoutingConfig = {
    ...(providers ? { providers } : {}),
    ...(Object.keys(route).length > 0 ? { route } : {}),
    ...(legacyRefProvider ? { legacyRefProvider } : {}),
  };
  const all = [
    ...issues,
    ...(issues.length === 0
      ? routingIssues(defaultProvider, routing).map((issue) => ({ ...issue, path: variableOf(issue.path) }))
      : []),
  ];
  return all.length > 0 ? E.left(configError('kycport', all)) : E.right(routing);
}
