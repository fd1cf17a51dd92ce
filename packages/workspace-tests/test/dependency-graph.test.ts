/**
 * The workspace's packages form a graph without cycles, and every package declares what it imports:
 * sources only from dependencies or peer dependencies, tests also from dev dependencies. No file
 * imports another package's files by a relative path.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importedSpecifiers, packageOf, sourceFiles, workspacePackages } from './workspace';
import type { Manifest } from './workspace';

const packages = workspacePackages();
const names = new Set(packages.map((entry) => entry.manifest.name));
const BUILTINS = new Set(builtinModules);

function workspaceEdges(manifest: Manifest): ReadonlyArray<string> {
  const declared = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
  return Object.keys(declared).filter((name) => names.has(name));
}

/** One cycle as a path `a -> b -> a`, or undefined. */
function findCycle(graph: ReadonlyMap<string, ReadonlyArray<string>>): string | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, path: ReadonlyArray<string>): string | undefined => {
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node].join(' -> ');
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle !== undefined) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the workspace dependency graph', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCycle(graph)).toBe('a -> b -> c -> a');
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });

  it('has no cycle, counting dependencies, dev dependencies and peer dependencies', () => {
    const graph = new Map(packages.map((entry) => [entry.manifest.name, workspaceEdges(entry.manifest)]));
    expect(findCycle(graph)).toBeUndefined();
  });
});

describe.each(packages.map((entry) => [entry.manifest.name, entry] as const))('%s', (_name, entry) => {
  const { folder, manifest } = entry;
  const runtime = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const everything = new Set([...runtime, ...Object.keys(manifest.devDependencies ?? {})]);
  const files = sourceFiles(folder);

  it('declares every package it imports (sources: dependencies or peers; tests: also dev dependencies)', () => {
    const undeclared: string[] = [];
    for (const file of files) {
      const allowed = file.startsWith('src/') ? runtime : everything;
      for (const specifier of importedSpecifiers(readFileSync(join(folder, file), 'utf8'))) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
        const name = packageOf(specifier);
        if (!allowed.has(name)) undeclared.push(`${file}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('never imports another package by a relative path', () => {
    const escaping: string[] = [];
    for (const file of files) {
      for (const specifier of importedSpecifiers(readFileSync(join(folder, file), 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = resolve(dirname(join(folder, file)), specifier);
        if (relative(folder, target).startsWith('..')) escaping.push(`${file}: ${specifier}`);
      }
    }
    expect(escaping).toEqual([]);
  });
});
