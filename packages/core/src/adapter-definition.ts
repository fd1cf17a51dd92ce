/**
 * What an adapter package exports so the container (or a host) can configure and build it. Plain
 * data and functions: no DI framework code, so adapters work without inversify too.
 */
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import type { ConfigError, KycIssue } from './errors';
import type { KycProvider } from './kyc-provider';
import type { KycObserver } from './observer';
import type { ProviderId } from './provider-id';
import { configError, decodeConfig } from './validation';
import type { KycWebhookHandler } from './webhook';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvironmentVariable {
  readonly name: string;
  /** The configuration key the variable fills. */
  readonly key: string;
  /** How the text is read: integers for timeouts, strings otherwise. */
  readonly type?: 'string' | 'integer';
  readonly required: boolean;
  /** Secret values are never echoed in messages. */
  readonly secret: boolean;
  readonly description: string;
}

export interface KycAdapterDependencies {
  readonly observer?: KycObserver;
}

export interface KycAdapter {
  readonly provider: KycProvider;
  readonly webhooks: KycWebhookHandler;
  /** Releases what the adapter holds (keep-alive sockets). */
  close?(): void;
}

export interface KycAdapterDefinition<Config> {
  readonly id: ProviderId;
  /** The variables `configFromEnv` reads, for docs and messages. */
  readonly environmentVariables: ReadonlyArray<EnvironmentVariable>;
  /** Validates a configuration object. */
  parseConfig(input: unknown): E.Either<ConfigError, Config>;
  /** Builds the configuration from environment variables; issues name the variable. */
  configFromEnv(env: Environment): E.Either<ConfigError, Config>;
  create(config: Config, dependencies?: KycAdapterDependencies): KycAdapter;
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
