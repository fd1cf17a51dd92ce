/**
 * What lets `pnpm install --offline` work in a host project outside the workspace, on a fresh clone.
 *
 * `pnpm install --offline` resolves every range from pnpm's cached registry metadata
 * (`<cache-dir>/metadata-v1.3/<registry>/<name>.json`) and takes package contents from the store by
 * integrity. A workspace install from a lockfile (`pnpm install --frozen-lockfile`, what CI runs)
 * fills the store but never resolves, so it never writes that metadata: adding a package to a
 * workspace manifest does not make it resolvable offline. This module writes the metadata an
 * offline resolution needs, into a cache folder of the test's own, from the workspace lockfile:
 * every package version the workspace installed, with its integrity (so its files come from the
 * store) and its dependencies pinned to the versions the lockfile chose. A host therefore resolves
 * to exactly the workspace's versions, and nothing can be fetched: the registry named is a closed
 * loopback port.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** Nothing listens on the discard port: any request pnpm tried to make would fail at once. */
export const UNREACHABLE_REGISTRY = 'http://127.0.0.1:9/';

/** pnpm 10's folder of abbreviated metadata under its cache folder. */
const METADATA_FOLDER = 'metadata-v1.3';

interface LockfilePackage {
  readonly resolution?: { readonly integrity?: string };
  readonly engines?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly hasBin?: boolean;
  readonly os?: ReadonlyArray<string>;
  readonly cpu?: ReadonlyArray<string>;
  readonly libc?: ReadonlyArray<string>;
}

interface LockfileSnapshot {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

interface Lockfile {
  readonly packages?: Record<string, LockfilePackage>;
  readonly snapshots?: Record<string, LockfileSnapshot | null>;
}

/** One version as the registry's abbreviated metadata describes it. */
interface VersionMetadata {
  readonly name: string;
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly optionalDependencies: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly engines?: Record<string, string>;
  readonly os?: ReadonlyArray<string>;
  readonly cpu?: ReadonlyArray<string>;
  readonly libc?: ReadonlyArray<string>;
  readonly bin?: Record<string, string>;
  readonly dist: { readonly integrity: string; readonly tarball: string };
}

interface PackageMetadata {
  readonly name: string;
  readonly 'dist-tags': Record<string, string>;
  readonly versions: Record<string, VersionMetadata>;
  readonly cachedAt: number;
}

/** The pnpm settings that point an install at the mirror; pass them to every host install. */
export interface OfflineMirror {
  readonly cacheDir: string;
  readonly registry: string;
  /** The store the workspace install filled (package contents, by integrity). */
  readonly storeDir: string;
  /** Package names in the mirror. */
  readonly packageCount: number;
}

/** `name@version` (the lockfile's key, scoped or not) split in two. */
export function splitPackageKey(key: string): { readonly name: string; readonly version: string } {
  const at = key.indexOf('@', 1);
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

/** A snapshot's dependency value as a registry range: `1.2.3(peer@4)` -> `1.2.3`, an alias -> `npm:x@1`. */
export function pinnedRange(value: string): string {
  const version = value.replace(/\(.*$/, '');
  return version.indexOf('@', 1) > 0 ? `npm:${version}` : version;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] => (version.split('-')[0] ?? '').split('.').map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return Number(a.includes('-') ? 0 : 1) - Number(b.includes('-') ? 0 : 1);
}

/** The dependencies of every snapshot of `key` (peer variants differ only in peer suffixes). */
function snapshotDependencies(
  lockfile: Lockfile,
  key: string,
  peers: Readonly<Record<string, string>>,
): Pick<VersionMetadata, 'dependencies' | 'optionalDependencies'> {
  const dependencies: Record<string, string> = {};
  const optionalDependencies: Record<string, string> = {};
  for (const [snapshotKey, snapshot] of Object.entries(lockfile.snapshots ?? {})) {
    if (snapshotKey !== key && !snapshotKey.startsWith(`${key}(`)) continue;
    for (const [name, value] of Object.entries(snapshot?.dependencies ?? {})) {
      // A resolved peer is listed among a snapshot's dependencies; it stays a peer.
      if (!(name in peers)) dependencies[name] = pinnedRange(String(value));
    }
    for (const [name, value] of Object.entries(snapshot?.optionalDependencies ?? {})) {
      optionalDependencies[name] = pinnedRange(String(value));
    }
  }
  // The registry lists optional dependencies among the dependencies too.
  return { dependencies: { ...dependencies, ...optionalDependencies }, optionalDependencies };
}

function versionMetadata(lockfile: Lockfile, key: string, entry: LockfilePackage, registry: string) {
  const { name, version } = splitPackageKey(key);
  const integrity = entry.resolution?.integrity;
  if (integrity === undefined) return undefined; // git, directory or tarball-URL resolutions: not ours to mirror
  const peers = entry.peerDependencies ?? {};
  const baseName = name.split('/').pop() ?? name;
  const metadata: VersionMetadata = {
    name,
    version,
    ...snapshotDependencies(lockfile, key, peers),
    ...(entry.peerDependencies ? { peerDependencies: entry.peerDependencies } : {}),
    ...(entry.peerDependenciesMeta ? { peerDependenciesMeta: entry.peerDependenciesMeta } : {}),
    ...(entry.engines ? { engines: entry.engines } : {}),
    ...(entry.os ? { os: entry.os } : {}),
    ...(entry.cpu ? { cpu: entry.cpu } : {}),
    ...(entry.libc ? { libc: entry.libc } : {}),
    // Only whether it has one matters to resolution; the real bin map is read from the package.
    ...(entry.hasBin ? { bin: { [baseName]: 'bin' } } : {}),
    dist: { integrity, tarball: `${registry}${name}/-/${baseName}-${version}.tgz` },
  };
  return metadata;
}

/** Every package version of `lockfilePath`, as registry metadata documents by package name. */
export function metadataFromLockfile(
  lockfilePath: string,
  registry: string = UNREACHABLE_REGISTRY,
): ReadonlyMap<string, PackageMetadata> {
  const lockfile = parse(readFileSync(lockfilePath, 'utf8')) as Lockfile;
  const versions = new Map<string, Record<string, VersionMetadata>>();
  for (const [key, entry] of Object.entries(lockfile.packages ?? {})) {
    const metadata = versionMetadata(lockfile, key, entry, registry);
    if (metadata === undefined) continue;
    versions.set(metadata.name, { ...versions.get(metadata.name), [metadata.version]: metadata });
  }
  const cachedAt = Date.now();
  return new Map(
    [...versions].map(([name, byVersion]) => {
      const latest = Object.keys(byVersion).sort(compareVersions).pop() ?? '';
      return [name, { name, 'dist-tags': { latest }, versions: byVersion, cachedAt }];
    }),
  );
}

/** Writes the mirror into `cacheDir` (a folder of the caller's; pnpm's own cache is never touched). */
export function writeOfflineMirror(
  cacheDir: string,
  lockfilePath: string,
  storeDir: string,
  registry: string = UNREACHABLE_REGISTRY,
): OfflineMirror {
  const registryFolder = new URL(registry).host.replace(':', '+');
  const documents = metadataFromLockfile(lockfilePath, registry);
  for (const [name, document] of documents) {
    const file = join(cacheDir, METADATA_FOLDER, registryFolder, `${name}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(document));
  }
  return { cacheDir, registry, storeDir, packageCount: documents.size };
}

/** `pnpm install` arguments that resolve from the mirror only and can reach no network. */
export function offlineInstallArgs(mirror: OfflineMirror): ReadonlyArray<string> {
  return [
    'install',
    '--offline',
    `--config.registry=${mirror.registry}`,
    `--config.cache-dir=${mirror.cacheDir}`,
    `--config.store-dir=${mirror.storeDir}`,
    // A host's own project has no lockfile yet (CI=true would otherwise require one).
    '--no-frozen-lockfile',
    '--config.confirm-modules-purge=false',
    '--reporter=append-only',
  ];
}
