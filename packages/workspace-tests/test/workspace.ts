/** Reads the workspace from disk: its packages, their manifests and their source files. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const PACKAGES = join(ROOT, 'packages');

export interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  readonly folder: string;
  readonly manifest: Manifest;
}

export function workspacePackages(): ReadonlyArray<WorkspacePackage> {
  return readdirSync(PACKAGES)
    .map((name) => join(PACKAGES, name))
    .filter((folder) => statSync(join(folder, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((folder) => ({
      folder,
      manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest,
    }));
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'fixtures', 'coverage']);

/** Source files below `folder` (TypeScript and JavaScript), relative to it. */
export function sourceFiles(folder: string): ReadonlyArray<string> {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(join(current, entry.name));
      } else if (/\.(ts|cjs|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        found.push(relative(folder, join(current, entry.name)));
      }
    }
  };
  walk(folder);
  return found.sort();
}

/** Every module specifier a file imports, requires or dynamically imports. */
export function importedSpecifiers(text: string): ReadonlyArray<string> {
  const specifiers = new Set<string>();
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) specifiers.add(match[1] ?? '');
  return [...specifiers].filter((specifier) => specifier !== '');
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
