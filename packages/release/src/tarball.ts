/**
 * A tarball on disk, unpacked: what every check reads. The system `tar` does the work (no network,
 * no extra dependency).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

/** A package manifest as read from a tarball: any JSON object. */
export type Manifest = Readonly<Record<string, unknown>>;

/** An unpacked tarball: its files and manifest, and where it came from. */
export interface UnpackedPackage {
  /** The package name (from the manifest; the tarball's file name when the manifest is unreadable). */
  readonly name: string;
  /** Its folder under `packages/` in the workspace (for the expected `repository.directory`). */
  readonly folder: string;
  /** The `.tgz` it was read from. */
  readonly tarball: string;
  /** Absolute folder holding the tarball's `package/` contents. */
  readonly root: string;
  /** Every file, relative to `root`, with `/` separators, sorted. */
  readonly files: ReadonlyArray<string>;
  /** The tarball's `package.json` (empty when missing or not JSON: a check reports it). */
  readonly manifest: Manifest;
}

/** Every file below `dir`, relative to it, `/`-separated and sorted. */
export function listFiles(dir: string): ReadonlyArray<string> {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

function readManifest(root: string): Manifest {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Manifest)
      : {};
  } catch {
    return {};
  }
}

/**
 * Unpacks `tarball` into a new folder below `into` and reads it. npm and pnpm tarballs hold one
 * top folder, `package/`.
 */
export function unpackTarball(tarball: string, into: string, folder: string): UnpackedPackage {
  const target = join(into, basename(tarball).replace(/\.tgz$/, ''));
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target], { stdio: ['ignore', 'pipe', 'pipe'] });
  const root = join(target, 'package');
  const manifest = readManifest(root);
  const name = typeof manifest['name'] === 'string' ? manifest['name'] : basename(tarball);
  return { name, folder, tarball, root, files: listFiles(root), manifest };
}

/** Packs a `package/` folder (below `parent`) into `tarball` as npm would lay it out. */
export function packDirectory(parent: string, tarball: string): string {
  execFileSync('tar', ['-czf', tarball, '-C', parent, 'package'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return tarball;
}
