/** The pure parts of the release check: the changesets config rule, the ignore rules, the version guard. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  WORKSPACE_ROOT,
  changesetConfigFailures,
  escalatedReleases,
  privatePackageNames,
  publishablePackages,
  typeFailures,
} from '../src';
import type { ReleasePlan, TypeReport, UnpackedPackage } from '../src';

const pkg: UnpackedPackage = {
  name: '@kycport/example',
  folder: 'example',
  tarball: '/nowhere/example.tgz',
  root: '/nowhere/package',
  files: [],
  manifest: {},
};

function report(overrides: Partial<TypeReport>): TypeReport {
  return { tarball: pkg.tarball, types: true, problems: [], publint: [], ...overrides };
}

describe('changesetConfigFailures', () => {
  const publishable = publishablePackages().map((entry) => entry.name);
  const privateNames = privatePackageNames();
  const config = JSON.parse(
    readFileSync(join(WORKSPACE_ROOT, '.changeset', 'config.json'), 'utf8'),
  ) as Record<string, unknown>;

  it('accepts the workspace config', () => {
    expect(changesetConfigFailures(config, publishable, privateNames)).toEqual([]);
  });

  it('names a publishable package left out of the fixed group, and a wrong access', () => {
    const broken = { ...config, fixed: [publishable.slice(1)], access: 'restricted' };
    expect(changesetConfigFailures(broken, publishable, privateNames)).toEqual([
      `the fixed group missing ${publishable[0]}`,
      'access must be "public" (scoped packages are restricted by default)',
    ]);
  });

  it('refuses to ignore a publishable package or to version private ones', () => {
    const broken = { ...config, ignore: ['@kycport/core'], privatePackages: { version: true, tag: false } };
    expect(changesetConfigFailures(broken, publishable, privateNames)).toEqual([
      'ignore names packages that are not private: @kycport/core',
      'privatePackages.version must be false (private packages are never released)',
    ]);
  });
});

describe('typeFailures', () => {
  it('ignores node10 on a subpath export but not on the root entry', () => {
    const failures = typeFailures(
      pkg,
      report({
        problems: [
          {
            kind: 'NoResolution',
            title: 'Resolution failed',
            entrypoint: './jest/x',
            resolutionKind: 'node10',
          },
          { kind: 'NoResolution', title: 'Resolution failed', entrypoint: '.', resolutionKind: 'node10' },
        ],
      }),
    );
    expect(failures).toEqual(['arethetypeswrong NoResolution (Resolution failed) (entry ., node10)']);
  });

  it('ignores publint USE_TYPE and keeps every other message', () => {
    const failures = typeFailures(
      pkg,
      report({
        publint: [
          { code: 'USE_TYPE', type: 'suggestion', path: ['name'], text: 'add "type"' },
          { code: 'FILE_DOES_NOT_EXIST', type: 'error', path: ['types'], text: 'pkg.types is missing' },
        ],
      }),
    );
    expect(failures).toEqual(['publint error FILE_DOES_NOT_EXIST: pkg.types is missing']);
  });

  it('fails a package without types, and one the tools could not read', () => {
    expect(typeFailures(pkg, report({ types: false }))).toEqual([
      'arethetypeswrong found no types for the package',
    ]);
    expect(typeFailures(pkg, report({ error: 'bad gzip' }))).toEqual([
      'types could not be checked: bad gzip',
    ]);
  });
});

describe('escalatedReleases (the version-packages guard)', () => {
  const plan = (asked: 'patch' | 'minor', planned: 'patch' | 'minor' | 'major'): ReleasePlan => ({
    changesets: [{ releases: [{ type: asked }] }],
    releases: [
      {
        name: '@kycport/plu',
        type: asked,
        oldVersion: '0.1.0',
        newVersion: asked === 'patch' ? '0.1.1' : '0.2.0',
      },
      { name: '@kycport/container', type: planned, oldVersion: '0.1.0', newVersion: '1.0.0' },
    ],
  });

  it('passes a plan that bumps no further than asked', () => {
    expect(escalatedReleases(plan('minor', 'minor'))).toEqual([]);
  });

  it('names a release bumped major when only minor was asked (peer dependency escalation)', () => {
    expect(escalatedReleases(plan('minor', 'major'))).toEqual([
      '@kycport/container 0.1.0 -> 1.0.0 (major) although no changeset asks for more than minor',
    ]);
  });
});
