/**
 * Plaid adapter settings: credentials, environment (or an explicit base URL), the Identity
 * Verification template and the per-request timeout. Plaid documents no prefix for `client_id` or
 * `secret`, so both are only checked for being non-blank.
 */
import * as t from 'io-ts';
import { HttpUrl, boundedString, integerInRange } from '@kycport/core';
import type { EnvironmentVariable, RedirectPolicy } from '@kycport/core';

/**
 * Plaid's provider id: the prefix of its user refs (`plaid:…`) and its key in `providerOptions`.
 */
export const PLAID_PROVIDER_ID = 'plaid';

/** The only API version in Plaid's published spec; every request sends it as `Plaid-Version`. */
export const PLAID_API_VERSION = '2020-09-14';

/** https://plaid.com/docs/api/ ("Plaid has two environments: Sandbox and Production"). */
export const PLAID_BASE_URLS = {
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
} as const;
/** A Plaid environment: `sandbox` or `production`. */
export type PlaidEnvironment = keyof typeof PLAID_BASE_URLS;

const PlaidConfigFields = t.intersection([
  t.type({
    /** Plaid `client_id`, sent in the `PLAID-CLIENT-ID` header. */
    clientId: boundedString(100),
    /** Plaid `secret` for the environment, sent in the `PLAID-SECRET` header. Never logged. */
    secret: boundedString(200),
    /** The Identity Verification template (`idvtmp_...`); case-sensitive. */
    templateId: boundedString(100),
  }),
  t.partial({
    environment: t.keyof({ sandbox: null, production: null }),
    /** Overrides `environment` (http allowed for local simulators). */
    baseUrl: HttpUrl,
    /** Deadline for one attempt, in milliseconds (default 15 000). */
    timeoutMs: integerInRange(100, 120_000),
    /** Default for `is_shareable` on create (default true, so `createUser` can hand out `shareable_url`). */
    isShareable: t.boolean,
    /**
     * Most `/webhook_verification_key/get` calls the webhook handler makes per minute (default
     * `PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE`): forged tokens with new key ids cannot make it call more.
     */
    webhookKeyFetchesPerMinute: integerInRange(1, 1000),
  }),
]);

type PlaidConfigFields = t.TypeOf<typeof PlaidConfigFields>;

/** The fields above, plus: one of `environment` and `baseUrl` is required (no silent production default). */
export const PlaidConfig = new t.Type<PlaidConfigFields, PlaidConfigFields, unknown>(
  'PlaidConfig',
  (input): input is PlaidConfigFields =>
    PlaidConfigFields.is(input) && (input.environment !== undefined || input.baseUrl !== undefined),
  (input, context) => {
    // The fields are validated in a context rooted at the intersection, so core's `pathOf` reports
    // `clientId` rather than `0.clientId`.
    const root = context.slice(0, -1);
    const decoded = PlaidConfigFields.validate(input, [
      ...root,
      { key: '', type: PlaidConfigFields, actual: input },
    ]);
    if (decoded._tag === 'Left') return decoded;
    if (decoded.right.environment === undefined && decoded.right.baseUrl === undefined) {
      // Reported on `environment` with no value: the message is `is required` and the path names the key.
      return t.failure(undefined, [
        ...root,
        { key: '', type: t.UnknownRecord, actual: input },
        { key: 'environment', type: t.string, actual: undefined },
      ]);
    }
    return t.success(decoded.right);
  },
  t.identity,
);
export type PlaidConfig = t.TypeOf<typeof PlaidConfig>;

/** Default of `webhookKeyFetchesPerMinute`: a key rotation needs one or two calls; forgeries get no more. */
export const PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE = 10;

/**
 * The environment variables `plaidAdapter.configFromEnv` reads (`PLAID_CLIENT_ID`, `PLAID_SECRET`,
 * `PLAID_TEMPLATE_ID`, ...), and the settings they fill.
 */
export const PLAID_ENVIRONMENT_VARIABLES: ReadonlyArray<EnvironmentVariable> = [
  {
    name: 'PLAID_CLIENT_ID',
    key: 'clientId',
    secret: true,
    description: 'Plaid client_id (PLAID-CLIENT-ID header).',
  },
  {
    name: 'PLAID_SECRET',
    key: 'secret',
    secret: true,
    description: 'Plaid secret for the environment (PLAID-SECRET header).',
  },
  {
    name: 'PLAID_ENVIRONMENT',
    key: 'environment',
    secret: false,
    description: 'sandbox or production (required unless PLAID_BASE_URL is set).',
  },
  {
    name: 'PLAID_BASE_URL',
    key: 'baseUrl',
    secret: false,
    description: 'Explicit base URL; overrides PLAID_ENVIRONMENT.',
  },
  {
    name: 'PLAID_TEMPLATE_ID',
    key: 'templateId',
    secret: false,
    description: 'Identity Verification template id (idvtmp_...).',
  },
  {
    name: 'PLAID_TIMEOUT_MS',
    key: 'timeoutMs',
    type: 'integer',
    secret: false,
    description: 'Per-attempt timeout in ms (default 15000).',
  },
  {
    name: 'PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE',
    key: 'webhookKeyFetchesPerMinute',
    type: 'integer',
    secret: false,
    description: `Most webhook key fetches per minute, 1-1000 (default ${PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE}).`,
  },
];

/** `baseUrl` when set, else the environment's URL. */
export function plaidBaseUrl(config: PlaidConfig): string {
  if (config.baseUrl !== undefined) return config.baseUrl;
  return PLAID_BASE_URLS[config.environment ?? 'sandbox'];
}

/**
 * Where a `shareable_url` may send a browser besides `https:` (core's `redirectTo` rule): the origin
 * of the configured base URL when it is plain `http:` (a local simulator), else nowhere.
 */
export function plaidRedirectPolicy(config: PlaidConfig): RedirectPolicy {
  try {
    const base = new URL(plaidBaseUrl(config));
    return base.protocol === 'http:' ? { allowedOrigins: [base.origin] } : {};
  } catch {
    return {};
  }
}
