/**
 * What an adapter package exports so the container (or a host) can configure and build it. Plain
 * data and functions: no DI framework code, so adapters work without inversify too.
 *
 * Every adapter is declared with `defineKycAdapter`: the id, the config codec, the environment
 * variables and a `create` that receives an already validated config. The helper supplies
 * `parseConfig`, `configFromEnv` and `createProvider`, so a config is validated exactly once on
 * every path (the container validates, then calls `create`; a host calling `createProvider`
 * validates there and nowhere else).
 */
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type * as t from 'io-ts';
import { KycException } from './errors';
import type { ConfigError, KycIssue } from './errors';
import type { KycProvider } from './kyc-provider';
import type { KycObserver } from './observer';
import type { ProviderId } from './provider-id';
import { configError, decodeConfig } from './validation';
import type { KycWebhookHandler } from './webhook';
import { withQualifiedRefs } from './qualified-provider';
import type { UserRefTranslator } from './qualified-provider';

/** Environment variables as `configFromEnv` reads them: `process.env` or any record of the same shape. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One environment variable an adapter's `configFromEnv` reads, and the configuration key it fills. */
export interface EnvironmentVariable {
  /** The variable's name, e.g. `PLU_API_KEY`. */
  readonly name: string;
  /** The configuration key the variable fills. */
  readonly key: string;
  /** How the text is read: integers for timeouts, strings otherwise. */
  readonly type?: 'string' | 'integer';
  /** Secret values are never echoed in messages. */
  readonly secret: boolean;
  /** One line for docs and messages: what the variable sets. */
  readonly description: string;
}

/** What the container (or a host) hands an adapter when it builds it, beyond its configuration. */
export interface KycAdapterDependencies {
  /** Receives an event per provider call (timings and outcomes, no personal data). */
  readonly observer?: KycObserver;
  /** Transport settings, for adapters built on `@kycport/http` (others may ignore them). */
  readonly transport?: KycTransportSettings;
}

/** Transport settings every built-in adapter reads (`@kycport/http`'s `HttpClientConfig`). */
export interface KycTransportSettings {
  /**
   * The axios adapter requests go through: `'lean'` (default), kycport's own on `node:http`, or
   * `'axios'`, axios's stock Node adapter (for a proxy from `HTTP(S)_PROXY`, or axios's exact wire
   * behaviour; docs/configuration.md).
   */
  readonly httpAdapter?: 'lean' | 'axios';
}

/**
 * A built provider together with its webhook handler and what it holds open. `EventType` is the
 * union of event names its webhook handler gives (`string` when untyped).
 */
export type KycProviderWithWebhooks<EventType extends string = string> = KycProvider & {
  readonly webhooks: KycWebhookHandler<EventType>;
  /** Releases what the provider holds (keep-alive sockets). */
  close(): void;
};

/**
 * A built adapter, as `KycAdapterDefinition.create` returns it: the port, its webhook handler and a way to
 * release them.
 */
export interface KycAdapter {
  /** The `KycProvider` port, answering with provider-qualified user refs. */
  readonly provider: KycProvider;
  /** Verifies and parses this provider's webhooks. */
  readonly webhooks: KycWebhookHandler;
  /** Releases what the adapter holds (keep-alive sockets). */
  close(): void;
}

/**
 * What an adapter package exports (`pluAdapter`, `p100Adapter`, ...): its id, its environment variables,
 * config validation, and the functions that build the provider. Made by `defineKycAdapter`.
 */
export interface KycAdapterDefinition<
  Config,
  Dependencies extends KycAdapterDependencies = KycAdapterDependencies,
  Provider extends KycProviderWithWebhooks = KycProviderWithWebhooks,
> {
  /** The provider id this adapter answers for, e.g. `plu`; the prefix of its qualified user refs. */
  readonly id: ProviderId;
  /** The variables `configFromEnv` reads, for docs and messages. */
  readonly environmentVariables: ReadonlyArray<EnvironmentVariable>;
  /** Validates a configuration object. */
  parseConfig(input: unknown): E.Either<ConfigError, Config>;
  /** Builds the configuration from environment variables; issues name the variable. */
  configFromEnv(env: Environment): E.Either<ConfigError, Config>;
  /** Builds the adapter from a config `parseConfig` or `configFromEnv` returned (not validated again). */
  create(config: Config, dependencies?: Dependencies): KycAdapter;
  /**
   * Validates `config`, then builds the provider. Throws a `KycException` holding a `config` error
   * when the configuration is invalid (the one place an adapter throws: at start-up, never per call).
   */
  createProvider(config: Config, dependencies?: Dependencies): Provider;
}

/**
 * What `defineKycAdapter` takes: the adapter's id, config codec, environment variables and the function that
 * builds its provider from a validated config.
 */
export interface KycAdapterSpec<Config, Dependencies extends KycAdapterDependencies, Provider> {
  /** The provider id this adapter answers for, e.g. `plu`; the prefix of its qualified user refs. */
  readonly id: ProviderId;
  /** Validates a configuration object; its errors become the issues of a `config` error. */
  readonly configCodec: t.Type<Config, unknown, unknown>;
  /** The variables `configFromEnv` reads into configuration keys. */
  readonly environmentVariables: ReadonlyArray<EnvironmentVariable>;
  /** Checks across fields, run after the codec; paths are config keys (renamed to variables for env). */
  readonly crossFieldIssues?: (config: Config) => ReadonlyArray<KycIssue>;
  /** Builds the provider from a validated config (it works with the provider's bare ids). */
  readonly create: (config: Config, dependencies: Dependencies) => Provider;
  /** Wraps methods the adapter adds beyond the port (Plaid's `getVerification`) for qualified refs. */
  readonly qualifyExtras?: (provider: Provider, refs: UserRefTranslator) => Partial<Provider>;
}

/** Declares an adapter: the one way built-in and third-party adapters are defined. */
export function defineKycAdapter<
  Config,
  Dependencies extends KycAdapterDependencies = KycAdapterDependencies,
  Provider extends KycProviderWithWebhooks = KycProviderWithWebhooks,
>(
  spec: KycAdapterSpec<Config, Dependencies, Provider>,
): KycAdapterDefinition<Config, Dependencies, Provider> {
  const { id, configCodec, environmentVariables } = spec;
  const crossChecked =
    (renamePath: (path: string) => string) =>
    (config: Config): E.Either<ConfigError, Config> => {
      const issues = (spec.crossFieldIssues?.(config) ?? []).map((issue) => ({
        ...issue,
        path: renamePath(issue.path),
      }));
      return issues.length === 0 ? E.right(config) : E.left(configError(id, issues));
    };
  const parseConfig = (input: unknown): E.Either<ConfigError, Config> =>
    pipe(decodeConfig(id, configCodec, input), E.chain(crossChecked((path) => path)));
  const byKey = new Map(environmentVariables.map((variable) => [variable.key, variable.name]));
  const configFromEnv = (env: Environment): E.Either<ConfigError, Config> =>
    pipe(
      configFromEnvironment(id, env, environmentVariables, configCodec),
      E.chain(crossChecked((path) => byKey.get(path) ?? path)),
    );
  // Every built adapter hands out and checks provider-qualified refs (qualified-provider.ts).
  const build = (config: Config, dependencies?: Dependencies): Provider =>
    withQualifiedRefs(spec.create(config, dependencies ?? ({} as Dependencies)), spec.qualifyExtras);
  const create = (config: Config, dependencies?: Dependencies): KycAdapter => {
    const provider = build(config, dependencies);
    return { provider, webhooks: provider.webhooks, close: () => provider.close() };
  };
  const createProvider = (config: Config, dependencies?: Dependencies): Provider => {
    const parsed = parseConfig(config);
    if (E.isLeft(parsed)) throw new KycException(parsed.left);
    return build(parsed.right, dependencies);
  };
  return { id, environmentVariables, parseConfig, configFromEnv, create, createProvider };
}

/**
 * Reads the listed variables into a config object and validates it with the adapter's codec.
 * Issues name the variable (`PLU_API_KEY is required`), never its value. Empty strings count as
 * unset.
 */
export function configFromEnvironment<Config>(
  provider: ProviderId,
  env: Environment,
  variables: ReadonlyArray<EnvironmentVariable>,
  codec: t.Type<Config, unknown, unknown>,
): E.Either<ConfigError, Config> {
  const input: Record<string, unknown> = {};
  const issues: KycIssue[] = [];
  for (const variable of variables) {
    const text = env[variable.name]?.trim();
    if (text === undefined || text === '') continue;
    if (variable.type === 'integer') {
      if (!/^\d+$/.test(text)) issues.push({ path: variable.name, message: 'must be a whole number' });
      else input[variable.key] = Number(text);
    } else {
      input[variable.key] = text;
    }
  }
  const byKey = new Map(variables.map((variable) => [variable.key, variable.name]));
  const decoded = decodeConfig(provider, codec, input, (path) => {
    const key = path.split('.')[0] ?? path;
    return byKey.get(key) ?? path;
  });
  if (issues.length === 0) return decoded;
  return E.left(configError(provider, [...issues, ...(E.isLeft(decoded) ? decoded.left.issues : [])]));
}
