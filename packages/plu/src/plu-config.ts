/**
 * Plu adapter settings: the io-ts codec, the `PLU_*` environment variables and the resolution of
 * the base URL. Secrets are checked by the prefixes Plu documents (`sk_staging_` / `sk_live_` API
 * keys, `whsec_` webhook secrets) and never echoed in messages.
 * Source: https://docs.getplu.com (base URLs, auth), https://docs.getplu.com/webhooks (secret).
 */
import * as t from 'io-ts';
import { HttpUrl, boundedString, integerInRange, refined } from '@kycport/core';
import type { EnvironmentVariable, KycIssue, RedirectPolicy } from '@kycport/core';
import { PluProgram } from './plu-options';

/** Plu's provider id: the prefix of its user refs (`plu:…`) and its key in `providerOptions`. */
export const PLU_PROVIDER_ID = 'plu';

/** Plu's documented API base URLs, by environment. */
export const PLU_BASE_URLS = {
  staging: 'https://services-staging.getplu.com/api',
  production: 'https://services.getplu.com/api',
} as const;

/** A Plu environment: `staging` or `production`. */
export type PluEnvironment = keyof typeof PLU_BASE_URLS;

/**
 * Pages of List Users one scan reads at most when `maxScanPages` is not set: 100 pages of 100 users,
 * so a `getStatus` (or a create's reconciliation) finds users among the first 10 000 listed, at a
 * cost of at most 100 GETs (each bounded by `timeoutMs`). Raise it for larger partner accounts.
 */
export const PLU_DEFAULT_MAX_SCAN_PAGES = 100;
export const PLU_MAX_SCAN_PAGES_LIMIT = 10_000;

/** The longest `webhookMaxEventAgeMs` accepted: 31 days. */
export const PLU_WEBHOOK_MAX_EVENT_AGE_LIMIT_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * Whether `retry` reads the user list before calling retry-kyc: `off` (the default) or `list_scan`
 * (one List Users scan, the only user read Plu documents: up to `maxScanPages` GETs). A user listed
 * with a known status other than `denied` is refused locally (`invalid_state`), with no request to
 * retry-kyc.
 */
export const PluRetryPreCheck = t.keyof({ off: null, list_scan: null }, 'PluRetryPreCheck');
export type PluRetryPreCheck = t.TypeOf<typeof PluRetryPreCheck>;

/** `sk_staging_...` or `sk_live_...` followed by at least one key character. */
export const PluApiKey = refined(
  t.string,
  (value) => /^sk_(staging|live)_[A-Za-z0-9_-]+$/.test(value),
  'an API key starting with sk_staging_ or sk_live_',
);

/** `whsec_...` followed by at least one character (the secret is used as-is as the HMAC key). */
export const PluWebhookSecret = refined(
  t.string,
  (value) => /^whsec_\S+$/.test(value),
  'a webhook secret starting with whsec_',
);

/**
 * Codec of the Plu adapter's settings: the API key, and optionally the environment or base URL, the
 * webhook secret, timeouts, defaults for `providerOptions.plu`, scan limits and the retry
 * pre-check.
 */
export const PluConfig = t.intersection(
  [
    t.type({ apiKey: PluApiKey }),
    t.partial({
      /** Selects the documented base URL. Default: inferred from the API key prefix. */
      environment: t.keyof({ staging: null, production: null }),
      /** Overrides `environment` (plain http is allowed for local simulators). */
      baseUrl: HttpUrl,
      /** Verifies `X-Webhook-Signature`; without it every delivery is refused. */
      webhookSecret: PluWebhookSecret,
      /** Deadline of one HTTP attempt, default 15 000 ms. */
      timeoutMs: integerInRange(1_000, 120_000),
      /** `program` sent when `providerOptions.plu.program` is absent. */
      defaultProgram: PluProgram,
      /** `accountPurpose` sent when `providerOptions.plu.accountPurpose` is absent. */
      defaultAccountPurpose: boundedString(200),
      /** Most List Users pages one scan reads (default `PLU_DEFAULT_MAX_SCAN_PAGES`). */
      maxScanPages: integerInRange(1, PLU_MAX_SCAN_PAGES_LIMIT),
      /** Webhooks whose `timestamp` is older are refused. Default: no limit (see docs/providers/plu.md). */
      webhookMaxEventAgeMs: integerInRange(1_000, PLU_WEBHOOK_MAX_EVENT_AGE_LIMIT_MS),
      /** Read the user list before a retry (`list_scan`); default `off`. See docs/providers/plu.md. */
      retryPreCheck: PluRetryPreCheck,
    }),
  ],
  'PluConfig',
);
/** The Plu adapter's settings (holds the API key and webhook secret: never log it). */
export type PluConfig = t.TypeOf<typeof PluConfig>;

/**
 * The environment variables `pluAdapter.configFromEnv` reads (`PLU_API_KEY`, `PLU_WEBHOOK_SECRET`,
 * ...), and the settings they fill.
 */
export const PLU_ENVIRONMENT_VARIABLES: ReadonlyArray<EnvironmentVariable> = [
  {
    name: 'PLU_API_KEY',
    key: 'apiKey',
    secret: true,
    description: 'Partner API key (sk_staging_... or sk_live_...).',
  },
  {
    name: 'PLU_ENVIRONMENT',
    key: 'environment',
    secret: false,
    description: 'staging or production (default: from the API key prefix).',
  },
  {
    name: 'PLU_BASE_URL',
    key: 'baseUrl',
    secret: false,
    description: 'Explicit base URL; overrides PLU_ENVIRONMENT.',
  },
  {
    name: 'PLU_WEBHOOK_SECRET',
    key: 'webhookSecret',
    secret: true,
    description: 'whsec_... secret that signs webhooks.',
  },
  {
    name: 'PLU_TIMEOUT_MS',
    key: 'timeoutMs',
    type: 'integer',
    secret: false,
    description: 'Per-attempt timeout in milliseconds (1000-120000, default 15000).',
  },
  {
    name: 'PLU_DEFAULT_PROGRAM',
    key: 'defaultProgram',
    secret: false,
    description: 'custodial or non_custodial, used when a call gives none.',
  },
  {
    name: 'PLU_DEFAULT_ACCOUNT_PURPOSE',
    key: 'defaultAccountPurpose',
    secret: false,
    description: 'accountPurpose used when a call gives none (1-200 characters).',
  },
  {
    name: 'PLU_MAX_SCAN_PAGES',
    key: 'maxScanPages',
    type: 'integer',
    secret: false,
    description: `Most List Users pages of 100 users one getStatus scan reads (1-${PLU_MAX_SCAN_PAGES_LIMIT}, default ${PLU_DEFAULT_MAX_SCAN_PAGES}).`,
  },
  {
    name: 'PLU_WEBHOOK_MAX_EVENT_AGE_MS',
    key: 'webhookMaxEventAgeMs',
    type: 'integer',
    secret: false,
    description:
      'Refuse webhooks whose timestamp is older than this many milliseconds (default: no limit; a limit also refuses late re-deliveries).',
  },
  {
    name: 'PLU_RETRY_PRE_CHECK',
    key: 'retryPreCheck',
    secret: false,
    description:
      'off (default) or list_scan: read the user list (up to maxScanPages GETs) before retry-kyc and refuse a user who is not denied locally.',
  },
];

function environmentOfKey(apiKey: string): PluEnvironment {
  return apiKey.startsWith('sk_live_') ? 'production' : 'staging';
}

/** The environment the settings select: explicit, else the one the API key is issued for. */
export function pluEnvironment(config: PluConfig): PluEnvironment {
  return config.environment ?? environmentOfKey(config.apiKey);
}

/** The base URL calls go to: `baseUrl` when given, else the documented URL of the environment. */
export function pluBaseUrl(config: PluConfig): string {
  return (config.baseUrl ?? PLU_BASE_URLS[pluEnvironment(config)]).replace(/\/+$/, '');
}

/** The retry pre-check: the setting, else `off`. */
export function pluRetryPreCheck(config: PluConfig): PluRetryPreCheck {
  return config.retryPreCheck ?? 'off';
}

/** The pages a scan may read: the setting, else the default. */
export function pluMaxScanPages(config: PluConfig): number {
  return config.maxScanPages ?? PLU_DEFAULT_MAX_SCAN_PAGES;
}

/**
 * Where a provider URL may send the user's browser besides any https URL: the origin of a plain
 * http `baseUrl` (a local simulator), else nowhere (core's `redirectTo` rule for every adapter).
 */
export function pluRedirectPolicy(config: PluConfig): RedirectPolicy {
  try {
    const base = new URL(pluBaseUrl(config));
    return base.protocol === 'http:' ? { allowedOrigins: [base.origin] } : {};
  } catch {
    return {};
  }
}

/**
 * Checks across fields: a live key against staging (or a staging key against production) is a
 * mistake Plu would only answer with a 401, so it is reported here, naming the field, not the key.
 */
export function pluCrossFieldIssues(config: PluConfig): ReadonlyArray<KycIssue> {
  if (config.environment === undefined || config.baseUrl !== undefined) return [];
  const keyEnvironment = environmentOfKey(config.apiKey);
  return config.environment === keyEnvironment
    ? []
    : [{ path: 'environment', message: `does not match the API key (a ${keyEnvironment} key was given)` }];
}
