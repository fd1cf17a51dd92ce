/** The API reference covers exactly the packages a release publishes (a new package must be added). */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { WORKSPACE_ROOT, publishablePackages } from '../src/pack';

const RELEASE_DIR = join(__dirname, '..');

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(RELEASE_DIR, file), 'utf8')) as Record<string, unknown>;
}

const published = publishablePackages()
  .map((pkg) => pkg.name)
  .sort();
const folderOf = (file: string): string =>
  relative(WORKSPACE_ROOT, resolve(RELEASE_DIR, file)).split('/')[1] ?? '';

describe('TypeDoc configuration', () => {
  const typedoc = readJson('typedoc.json') as {
    entryPoints: string[];
    packagesRequiringDocumentation: string[];
  };
  const tsconfig = readJson('tsconfig.typedoc.json') as { include: string[] };
  const nameOf = new Map(
    publishablePackages().map((pkg) => [relative(WORKSPACE_ROOT, pkg.dir).split('/')[1], pkg.name]),
  );

  it('documents every publishable package, and only those', () => {
    const documented = new Set(typedoc.entryPoints.map((entry) => nameOf.get(folderOf(entry))));
    expect([...documented].sort()).toEqual(published);
    // Each package's main entry, plus subpath entries (`src/config.ts` of `@kycport/container/config`).
    for (const name of published) {
      const folder = [...nameOf].find(([, value]) => value === name)?.[0];
      expect(typedoc.entryPoints).toContain(`../../packages/${folder}/src/index.ts`);
    }
    expect([...typedoc.packagesRequiringDocumentation].sort()).toEqual(published);
    expect(tsconfig.include.map((folder) => nameOf.get(folderOf(folder))).sort()).toEqual(published);
  });
});
