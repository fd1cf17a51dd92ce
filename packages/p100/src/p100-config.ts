/**
 * P100 adapter configuration: the API key (`x-api-key`), where to send requests, the webhook
 * security token, the per-request timeout and which KYC method the onboarding uses.
 *
 * The codec does not transform its input (no defaults filled in), so a decoded configuration
 * decodes again unchanged. Defaults are applied once, by `p100Settings`, when the provider is built
 * from the validated configuration.
 */
import * as t from 'io-ts';
import { HttpUrl, boundedString, integerInRange } from '@kycport/core';
import type { EnvironmentVariable } from '@kycport/core';

/** P100's provider id: the prefix of its user refs (`p100:…`) and its key in `providerOptions`. */
export const P100_PROVIDER_ID = 'p100';

/** Base URLs from https://partner-api-docs.p100.io/faq-1299898m0. */
export const P100_BASE_URLS = {
  staging: 'https://partner-api-stage.p100.io',
  production: 'https://partner-api.p100.io',
} as const;

/** Codec of a P100 environment: `staging` or `production`. */
export const P100Environment = t.keyof({ staging: null, production: null }, 'P100Environment');
/** A P100 environment: `staging` or `production`. */
export type P100Environment = t.TypeOf<typeof P100Environment>;

/**
 * - `hosted` (P100's "Method B", default): `createUser` also starts a P100-hosted (iDenfy)
 *   verification and returns a redirect.
 * - `document_upload` (P100's "Method A"): the host uploads document images and data through
 *   `submitVerification`.
 */
export const P100KycMethod = t.keyof({ hosted: null, document_upload: null }, 'P100KycMethod');
export type P100KycMethod = t.TypeOf<typeof P100KycMethod>;

/** P100 documents no `riskLvl` value besides `LOW`; other values are passed through. */
export const P100RiskLevel = boundedString(40);

/**
 * Codec of the P100 adapter's settings: the API key, and optionally the environment or base URL,
 * the webhook token, the timeout, the KYC method and its defaults.
 */
export const P100Config = t.intersection(
  [
    t.type({
      /** Staging or production API key, sent as `x-api-key`. P100 documents no key prefix. */
      apiKey: boundedString(512),
    }),
    t.partial({
      /** Default `staging`. Ignored when `baseUrl` is set. */
      environment: P100Environment,
      /** Explicit base URL (http allowed for local simulators); wins over `environment`. */
      baseUrl: HttpUrl,
      /** The Webhook Security Token P100 sends in `Authorization`. Without it no webhook can be verified. */
      webhookToken: boundedString(512),
      /** Deadline of one HTTP attempt in milliseconds (default 15000). */
      timeoutMs: integerInRange(1000, 120_000),
      /** Default `hosted`. */
      kycMethod: P100KycMethod,
      /** Multipart field name for KYC files (undocumented by P100; default `files`, as on Add POA File). */
      kycFilesField: boundedString(64),
      /** `riskLvl` sent with Add User Verification when the call does not give one (default: omitted). */
      defaultRiskLevel: P100RiskLevel,
    }),
  ],
  'P100Config',
);
/** The P100 adapter's settings (holds the API key and webhook token: never log it). */
export type P100Config = t.TypeOf<typeof P100Config>;

/**
 * The environment variables `p100Adapter.configFromEnv` reads (`P100_API_KEY`,
 * `P100_WEBHOOK_TOKEN`, ...), and the settings they fill.
 */
export const P100_ENVIRONMENT_VARIABLES: ReadonlyArray<EnvironmentVariable> = [
  {
    name: 'P100_API_KEY',
    key: 'apiKey',
    secret: true,
    description: 'P100 Partner API key (x-api-key).',
  },
  {
    name: 'P100_ENVIRONMENT',
    key: 'environment',
    secret: false,
    description: 'staging (default) or production.',
  },
  {
    name: 'P100_BASE_URL',
    key: 'baseUrl',
    secret: false,
    description: 'Explicit base URL; overrides P100_ENVIRONMENT.',
  },
  {
    name: 'P100_WEBHOOK_TOKEN',
    key: 'webhookToken',
    secret: true,
    description: 'Webhook Security Token (Authorization header of P100 webhooks).',
  },
  {
    name: 'P100_TIMEOUT_MS',
    key: 'timeoutMs',
    type: 'integer',
    secret: false,
    description: 'Per-attempt timeout in milliseconds (default 15000).',
  },
  {
    name: 'P100_KYC_METHOD',
    key: 'kycMethod',
    secret: false,
    description: 'hosted (Method B, default) or document_upload (Method A).',
  },
  {
    name: 'P100_KYC_FILES_FIELD',
    key: 'kycFilesField',
    secret: false,
    description: 'Multipart field name for KYC files (default files).',
  },
  {
    name: 'P100_DEFAULT_RISK_LEVEL',
    key: 'defaultRiskLevel',
    secret: false,
    description: 'riskLvl for Add User Verification when a call gives none.',
  },
];

/** The base URL requests go to: `baseUrl` when set, else the environment's (default staging). */
export function p100BaseUrl(config: P100Config): string {
  return (config.baseUrl ?? P100_BASE_URLS[config.environment ?? 'staging']).replace(/\/+$/, '');
}

/** What the flows read, with the defaults applied. The secrets stay in the config, out of the flows. */
export interface P100Settings {
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** Deadline of one HTTP attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Hosted verification or document upload. */
  readonly kycMethod: P100KycMethod;
  /** The multipart field name of KYC files. */
  readonly kycFilesField: string;
  /** The `riskLvl` sent when a call gives none. */
  readonly defaultRiskLevel?: string;
}

/** Derives the settings from a validated configuration (no second validation). */
export function p100Settings(config: P100Config): P100Settings {
  return {
    baseUrl: p100BaseUrl(config),
    timeoutMs: config.timeoutMs ?? 15_000,
    kycMethod: config.kycMethod ?? 'hosted',
    kycFilesField: config.kycFilesField ?? 'files',
    ...(config.defaultRiskLevel === undefined ? {} : { defaultRiskLevel: config.defaultRiskLevel }),
  };
}
