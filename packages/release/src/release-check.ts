/**
 * `pnpm release:check`: packs every publishable package the way a release would and verifies each
 * tarball (contents, ranges, entry points, types, metadata), then the changesets config. Prints one
 * line per package and a failure list; exits 1 on any failure. Needs built output (`pnpm build`).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { changesetConfigFailures } from './changeset-config';
import {
  changelogEntry,
  entryPointsExist,
  noLocalRanges,
  noPrivateDependencies,
  noTestFiles,
  requiredFiles,
} from './checks';
import type { TarballCheck } from './checks';
import { metadataPresent } from './metadata-check';
import { WORKSPACE_ROOT, packWorkspace } from './pack';
import type { PackedPackage } from './pack';
import { unpackTarball } from './tarball';
import type { UnpackedPackage } from './tarball';
import { runTypeReports, typeFailures } from './type-checks';

/** The outcome for one package. */
export interface PackageResult {
  readonly name: string;
  readonly version: string;
  readonly files: number;
  readonly failures: ReadonlyArray<string>;
}

/** Every package's outcome, and the failures that belong to no one package. */
export interface ReleaseCheckResult {
  readonly packages: ReadonlyArray<PackageResult>;
  readonly workspaceFailures: ReadonlyArray<string>;
}

/** Names of the workspace's private packages (`packages/*` with `private: true`). */
export function privatePackageNames(root: string = WORKSPACE_ROOT): ReadonlyArray<string> {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name, 'package.json'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile())
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; private?: unknown })
    .filter((manifest) => manifest.private === true && typeof manifest.name === 'string')
    .map((manifest) => String(manifest.name))
    .sort();
}

/** The file-and-manifest checks, in the order their failures are listed. */
export function tarballChecks(privateNames: ReadonlyArray<string>): ReadonlyArray<TarballCheck> {
  const changelog: TarballCheck = (pkg) =>
    changelogEntry(
      pkg,
      pkg.files.includes('CHANGELOG.md') ? readFileSync(join(pkg.root, 'CHANGELOG.md'), 'utf8') : undefined,
    );
  return [
    requiredFiles,
    changelog,
    noLocalRanges,
    noPrivateDependencies(new Set(privateNames)),
    noTestFiles,
    entryPointsExist,
    metadataPresent,
  ];
}

/** Unpacks `packed` tarballs into `workDir` and runs every check, types included, on each. */
export function checkTarballs(
  packed: ReadonlyArray<PackedPackage>,
  workDir: string,
  privateNames: ReadonlyArray<string>,
): ReadonlyArray<PackageResult> {
  const unpacked: ReadonlyArray<UnpackedPackage> = packed.map((pkg) =>
    unpackTarball(pkg.tarball, workDir, basename(pkg.dir)),
  );
  const reports = runTypeReports(unpacked.map((pkg) => ({ tarball: pkg.tarball, root: pkg.root })));
  const checks = tarballChecks(privateNames);
  return unpacked.map((pkg, index) => {
    const report = reports[index];
    const typeProblems = report ? typeFailures(pkg, report) : ['types could not be checked: no report'];
    return {
      name: pkg.name,
      version: typeof pkg.manifest['version'] === 'string' ? pkg.manifest['version'] : '?',
      files: pkg.files.length,
      failures: [...checks.flatMap((check) => check(pkg)), ...typeProblems],
    };
  });
}

/** Packs every publishable package of `root` into a temporary folder and checks it all. */
export function releaseCheck(root: string = WORKSPACE_ROOT): ReleaseCheckResult {
  const workDir = mkdtempSync(join(tmpdir(), 'kycport-release-'));
  try {
    const packed = packWorkspace(join(workDir, 'tarballs'), root);
    const privateNames = privatePackageNames(root);
    const packages = checkTarballs(packed, join(workDir, 'unpacked'), privateNames);
    const config: unknown = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
    const publishable = packed.map((pkg) => pkg.name);
    const workspaceFailures = changesetConfigFailures(config, publishable, privateNames).map(
      (failure) => `.changeset/config.json: ${failure}`,
    );
    return { packages, workspaceFailures };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The report lines: one per package, then every failure. */
export function formatReleaseCheck(result: ReleaseCheckResult): ReadonlyArray<string> {
  const lines = result.packages.map(
    (pkg) =>
      `${pkg.failures.length === 0 ? 'ok  ' : 'FAIL'}  ${pkg.name}@${pkg.version}  ` +
      `(${pkg.files} files${pkg.failures.length ? `, ${pkg.failures.length} failures` : ''})`,
  );
  const failures = [
    ...result.packages.flatMap((pkg) => pkg.failures.map((failure) => `${pkg.name}: ${failure}`)),
    ...result.workspaceFailures,
  ];
  if (failures.length === 0) return [...lines, `release:check passed: ${result.packages.length} packages`];
  return [
    ...lines,
    '',
    `release:check failed (${failures.length}):`,
    ...failures.map((failure) => `  - ${failure}`),
  ];
}

/** True when nothing failed. */
export function releaseCheckPassed(result: ReleaseCheckResult): boolean {
  return result.workspaceFailures.length === 0 && result.packages.every((pkg) => pkg.failures.length === 0);
}

if (require.main === module) {
  const started = Date.now();
  const result = releaseCheck();
  for (const line of formatReleaseCheck(result)) process.stdout.write(`${line}\n`);
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  process.exitCode = releaseCheckPassed(result) ? 0 : 1;
}
