/**
 * Which adapters the container can wire. Built-in adapters are loaded lazily by package name, so a
 * host only loads the adapter it configured (and only needs that package installed). Third-party
 * adapters register their definition once at start-up.
 */
import * as E from 'fp-ts/Either';
import { kycError } from '@kycport/core';
import type { ConfigError, KycAdapterDefinition, ProviderId } from '@kycport/core';

export interface BuiltInAdapter {
  readonly packageName: string;
  readonly exportName: string;
}

/**
 * The one list of built-in adapters: every id, package name and message the container uses is
 * derived from it (and a test checks the container's peer dependencies against it). An adapter
 * package `@kycport/<id>` exports its definition as `<id>Adapter`.
 */
export const BUILT_IN_ADAPTERS: Readonly<Record<string, BuiltInAdapter>> = {
  ...Object.fromEntries(
    (['plu', 'p100', 'plaid'] as const).map((id) => [
      id,
      { packageName: `@kycport/${id}`, exportName: `${id}Adapter` },
    ]),
  ),
  fake: { packageName: '@kycport/testing', exportName: 'fakeKycAdapter' },
};

const registered = new Map<string, KycAdapterDefinition<unknown>>();

/** Makes `provider: definition.id` (and `KYC_PROVIDER=<id>`) resolve to this adapter. */
export function registerKycAdapter<Config>(definition: KycAdapterDefinition<Config>): void {
  registered.set(definition.id, definition as KycAdapterDefinition<unknown>);
}

/** Removes a registration (tests). */
export function unregisterKycAdapter(id: ProviderId): void {
  registered.delete(id);
}

/** Built-in ids, then registered ones, sorted: what `provider` / `KYC_PROVIDER` accepts. */
export function knownAdapterIds(): ReadonlyArray<string> {
  return [...new Set([...Object.keys(BUILT_IN_ADAPTERS), ...registered.keys()])].sort();
}

function configError(provider: ProviderId, path: string, message: string): ConfigError {
  return kycError('config', {
    provider,
    message: `kycport: ${path} ${message}`,
    issues: [{ path, message }],
    retryable: false,
  });
}

function isDefinition(value: unknown): value is KycAdapterDefinition<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { create?: unknown }).create === 'function' &&
    typeof (value as { parseConfig?: unknown }).parseConfig === 'function' &&
    typeof (value as { configFromEnv?: unknown }).configFromEnv === 'function'
  );
}

/** Finds the definition for an id, loading a built-in adapter's package on first use. */
export function resolveAdapterDefinition(
  id: ProviderId,
  path = 'provider',
): E.Either<ConfigError, KycAdapterDefinition<unknown>> {
  const own = registered.get(id);
  if (own) return E.right(own);
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_ADAPTERS, id)
    ? BUILT_IN_ADAPTERS[id]
    : undefined;
  if (!builtIn) {
    return E.left(
      configError(id, path, `names an unknown provider; expected one of: ${knownAdapterIds().join(', ')}`),
    );
  }
  let loaded: unknown;
  try {
    // A plain require keeps loading lazy and synchronous; only the configured adapter is loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(builtIn.packageName) as unknown;
  } catch {
    return E.left(
      configError(id, path, `selects ${id}, but ${builtIn.packageName} could not be loaded: install it`),
    );
  }
  const definition = (loaded as Record<string, unknown>)[builtIn.exportName];
  if (!isDefinition(definition)) {
    return E.left(
      configError(
        id,
        path,
        `selects ${id}, but ${builtIn.packageName} does not export ${builtIn.exportName}`,
      ),
    );
  }
  registered.set(id, definition);
  return E.right(definition);
}
