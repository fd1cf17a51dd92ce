/**
 * Which adapters the container can wire. Built-in adapters are loaded lazily by package name, so a
 * host only loads the adapter it configured (and only needs that package installed). Third-party
 * adapters register their definition once at start-up.
 */
import * as E from 'fp-ts/Either';
import { kycError } from '@kycport/core';
import type { ConfigError, KycAdapterDefinition, ProviderId } from '@kycport/core';

/** Where a built-in adapter's definition lives: its npm package and the name of its export. */
export interface BuiltInAdapter {
  /** The adapter's package, e.g. `@kycport/plu`. */
  readonly packageName: string;
  /** The definition's export in that package, e.g. `pluAdapter`. */
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

/** Built-in ids, then registered and passed ones, sorted: what `provider` / `KYC_PROVIDER` accepts. */
export function knownAdapterIds(source: KycAdapterSource = {}): ReadonlyArray<string> {
  const passed = (source.adapters ?? []).map((definition) => definition.id);
  return [...new Set([...Object.keys(BUILT_IN_ADAPTERS), ...registered.keys(), ...passed])].sort();
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

/**
 * Adapter definitions a host hands over itself (`{ adapters: [pluAdapter] }`): the bundler path, where
 * loading a package by a name computed at run time cannot work (a bundler only follows literal
 * imports).
 */
export interface KycAdapterSource {
  readonly adapters?: ReadonlyArray<KycAdapterDefinition<unknown>>;
}

/** Why `require(packageName)` failed, told truthfully: not installed, or not reachable from a bundle. */
function loadFailure(packageName: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const missing =
    code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${packageName}'`);
  if (missing) {
    return (
      `could not be loaded: it is not installed, or this code runs from a bundle that cannot load ` +
      `packages by name (install ${packageName}, or pass its definition: { adapters: [...] })`
    );
  }
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'an error';
  return `failed while loading (${reason}); pass its definition explicitly with { adapters: [...] }`;
}

/**
 * Finds the definition for an id: one passed in `source.adapters`, then one registered with
 * `registerKycAdapter`, then a built-in adapter's package, loaded by name on first use.
 */
export function resolveAdapterDefinition(
  id: ProviderId,
  path = 'provider',
  source: KycAdapterSource = {},
): E.Either<ConfigError, KycAdapterDefinition<unknown>> {
  const passed = source.adapters?.find((definition) => definition.id === id);
  if (passed) return E.right(passed);
  const own = registered.get(id);
  if (own) return E.right(own);
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_ADAPTERS, id)
    ? BUILT_IN_ADAPTERS[id]
    : undefined;
  if (!builtIn) {
    return E.left(
      configError(
        id,
        path,
        `names an unknown provider; expected one of: ${knownAdapterIds(source).join(', ')}`,
      ),
    );
  }
  let loaded: unknown;
  try {
    // A plain require keeps loading lazy and synchronous; only the configured adapter is loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(builtIn.packageName) as unknown;
  } catch (error) {
    return E.left(
      configError(
        id,
        path,
        `selects ${id}, but ${builtIn.packageName} ${loadFailure(builtIn.packageName, error)}`,
      ),
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
