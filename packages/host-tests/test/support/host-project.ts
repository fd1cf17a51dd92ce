/**
 * Host projects outside the workspace: a package.json whose @kycport/* dependencies are the packed
 * tarballs, installed offline with pnpm, and node processes run in them.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve as resolvePath, sep } from 'node:path';
import { WORKSPACE_ROOT, runPnpm } from '@kycport/release';
import type { PackedPackage } from '@kycport/release';
import { offlineInstallArgs } from './offline-mirror';
import type { OfflineMirror } from './offline-mirror';

/** The host sources (templates) in this package. */
export const HOSTS_DIR = join(__dirname, '..', '..', 'hosts');

/** The workspace's own TypeScript compiler, run by absolute path (hosts do not install it). */
export const TSC = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

/**
 * The environment for host processes and installs: the test's own, without what the workspace's pnpm
 * or jest put there (`npm_config_*`, `NODE_OPTIONS`...), plus `extra`.
 */
export function hostEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/^(npm_|NODE_OPTIONS$|NODE_PATH$|JEST_|KYC_|PLU_|P100_|PLAID_)/i.test(name),
  );
  return { ...Object.fromEntries(kept), ...extra };
}

/** The range the workspace declares for a third-party package (root manifest first, then packages). */
export function workspaceRange(name: string): string {
  const folders = [
    WORKSPACE_ROOT,
    ...readdirSync(join(WORKSPACE_ROOT, 'packages')).map((dir) => join(WORKSPACE_ROOT, 'packages', dir)),
  ];
  for (const folder of folders) {
    const file = join(folder, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const range = manifest['dependencies']?.[name] ?? manifest['devDependencies']?.[name];
    if (range !== undefined && !range.startsWith('workspace:') && !range.startsWith('npm:')) return range;
  }
  throw new Error(`the workspace declares no range for ${name}`);
}

export interface HostManifestOptions {
  readonly name: string;
  /** Package names; @kycport/* become their tarballs, others get the workspace's range. */
  readonly dependencies: ReadonlyArray<string>;
  /** Explicit ranges for third-party packages (e.g. `{ inversify: '^7.11.0' }`). */
  readonly ranges?: Readonly<Record<string, string>>;
  readonly tarballs: ReadonlyArray<PackedPackage>;
}

/**
 * A host's package.json: every @kycport/* dependency is `file:<tarball>`, and `pnpm.overrides` maps
 * every @kycport/* package to its tarball (the tarballs depend on each other by version, `^0.1.0`,
 * which no registry has).
 */
export function hostManifest(options: HostManifestOptions): Record<string, unknown> {
  const tarballOf = new Map(options.tarballs.map((packed) => [packed.name, `file:${packed.tarball}`]));
  const dependencies = Object.fromEntries(
    [...options.dependencies].sort().map((name) => {
      const tarball = tarballOf.get(name);
      if (name.startsWith('@kycport/') && tarball === undefined) throw new Error(`${name} was not packed`);
      return [name, tarball ?? options.ranges?.[name] ?? workspaceRange(name)];
    }),
  );
  return {
    name: `kycport-host-${options.name}`,
    version: '1.0.0',
    private: true,
    dependencies,
    pnpm: { overrides: Object.fromEntries(tarballOf) },
  };
}

/** Writes the manifest into `dir` and installs it offline from the mirror; returns pnpm's output. */
export function installHost(dir: string, manifest: Record<string, unknown>, mirror: OfflineMirror): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    return runPnpm(offlineInstallArgs(mirror), dir, hostEnvironment());
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message?: string };
    throw new Error(
      `offline install in ${dir} failed:\n${failure.stdout ?? ''}${failure.stderr ?? failure.message ?? ''}`,
    );
  }
}

/**
 * A new host folder sharing the installed template: its package.json copied, its node_modules a
 * link to the template's (Node and tsc resolve through the link to the same installed packages;
 * copying 3,000 files per host would only cost time).
 */
export function linkHost(template: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(template, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(template, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Copies one host's sources (`hosts/<name>`) into a host folder. */
export function addHostSources(name: string, dir: string): string {
  cpSync(join(HOSTS_DIR, name), dir, { recursive: true });
  return dir;
}

/** Runs the workspace's tsc on a host's tsconfig.json; throws with the diagnostics when it fails. */
export function runTsc(projectDir: string): void {
  try {
    execFileSync(process.execPath, [TSC, '-p', join(projectDir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: projectDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed in ${projectDir}:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}

export interface HostRun {
  readonly code: number;
  /** The last line of standard output, parsed as JSON (undefined when it is not JSON). */
  readonly output: Record<string, unknown> | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node <file>` in `cwd` with `env` (asynchronously: the simulators answer from this process).
 * Never rejects for a failing host; the caller asserts on the exit code and output.
 */
export function runNode(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<HostRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file],
      { cwd, env, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: lastJsonLine(stdout), stdout, stderr });
      },
    );
  });
}

/**
 * Removes the store's records of the host projects under `work` (pnpm links every project that
 * installs from a store into `<store>/projects`, for `pnpm store prune`), so test runs leave no
 * dangling entries behind. Touches nothing else.
 */
export function forgetHostProjects(storeDir: string, work: string): void {
  const projects = join(storeDir, 'projects');
  if (!existsSync(projects)) return;
  for (const entry of readdirSync(projects)) {
    const link = join(projects, entry);
    if (!lstatSync(link).isSymbolicLink()) continue;
    const target = resolvePath(projects, readlinkSync(link));
    if (target === work || target.startsWith(`${work}${sep}`)) unlinkSync(link);
  }
}

/** Wall-clock timings of the expensive steps, printed once at the end. */
export class Timings {
  private readonly entries: Array<readonly [string, number]> = [];

  measure<T>(label: string, work: () => T): T {
    const started = Date.now();
    const result = work();
    this.entries.push([label, Date.now() - started]);
    return result;
  }

  async measureAsync<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await work();
    this.entries.push([label, Date.now() - started]);
    return result;
  }

  summary(): string {
    return this.entries.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)}s`).join(', ');
  }
}
