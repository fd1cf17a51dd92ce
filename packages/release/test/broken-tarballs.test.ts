/**
 * The release check fails, naming the fault, on tarballs broken one way each: a good tarball is
 * packed once, unpacked, copied, broken and re-packed with `tar -czf` (no network).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkTarballs,
  packDirectory,
  packPackage,
  privatePackageNames,
  publishablePackages,
  unpackTarball,
} from '../src';
import type { PackageResult, PackedPackage, UnpackedPackage } from '../src';

type Breakage = (root: string) => void;

function editManifest(edit: (manifest: Record<string, unknown>) => void): Breakage {
  return (root) => {
    const file = join(root, 'package.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    writeFileSync(file, JSON.stringify(manifest, null, 2));
  };
}

const BREAKAGES: Readonly<Record<string, Breakage>> = {
  intact: () => undefined,
  'missing-license': (root) => rmSync(join(root, 'LICENSE')),
  'missing-readme': (root) => rmSync(join(root, 'README.md')),
  'workspace-range': editManifest((manifest) => {
    manifest['dependencies'] = { ...(manifest['dependencies'] as object), '@kycport/core': 'workspace:^' };
  }),
  'test-file': (root) => writeFileSync(join(root, 'dist', 'kyc-router.test.js'), "test('x', () => {});\n"),
  'types-missing': editManifest((manifest) => {
    manifest['types'] = './dist/missing.d.ts';
  }),
  'untyped-export': (root) => rmSync(join(root, 'dist', 'index.d.ts')),
  'wrong-repository': editManifest((manifest) => {
    manifest['repository'] = { type: 'git', url: 'git+https://github.com/someone/else.git' };
  }),
  'private-dependency': editManifest((manifest) => {
    manifest['dependencies'] = { ...(manifest['dependencies'] as object), '@kycport/fixtures': '^0.1.0' };
  }),
};

let workDir: string;
const results = new Map<string, PackageResult>();

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'kycport-broken-'));
  const router = publishablePackages().find((pkg) => pkg.name === '@kycport/router');
  if (!router) throw new Error('@kycport/router is not in the workspace');
  const good: UnpackedPackage = unpackTarball(
    packPackage(router, join(workDir, 'good')).tarball,
    workDir,
    'router',
  );
  const broken: PackedPackage[] = Object.entries(BREAKAGES).map(([name, breakage]) => {
    const parent = join(workDir, 'sources', name);
    cpSync(good.root, join(parent, 'package'), { recursive: true });
    breakage(join(parent, 'package'));
    return { ...router, tarball: packDirectory(parent, join(workDir, `${name}.tgz`)) };
  });
  const checked = checkTarballs(broken, join(workDir, 'unpacked'), privatePackageNames());
  Object.keys(BREAKAGES).forEach((name, index) => {
    const result = checked[index];
    if (result) results.set(name, result);
  });
}, 180_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function failuresOf(name: string): ReadonlyArray<string> {
  const result = results.get(name);
  if (!result) throw new Error(`no result for ${name}`);
  return result.failures;
}

describe('the release check on broken tarballs', () => {
  it('passes the intact tarball re-packed the same way (the control)', () => {
    expect(failuresOf('intact')).toEqual([]);
  });

  it('fails a tarball without LICENSE', () => {
    expect(failuresOf('missing-license')).toEqual(['LICENSE is missing from the tarball']);
  });

  it('fails a tarball without README.md', () => {
    expect(failuresOf('missing-readme')).toEqual(['README.md is missing from the tarball']);
  });

  it('fails a tarball that kept a workspace:^ range', () => {
    expect(failuresOf('workspace-range')).toEqual([
      'dependencies.@kycport/core is "workspace:^": a workspace-only range was published',
    ]);
  });

  it('fails a tarball that carries a test file', () => {
    expect(failuresOf('test-file')).toEqual([
      'dist/kyc-router.test.js is a test file (or test build output) and must not be published',
    ]);
  });

  it('fails a tarball whose types point at a missing file (and the type tools agree)', () => {
    const failures = failuresOf('types-missing');
    expect(failures).toContain('types points at ./dist/missing.d.ts, which is not in the tarball');
    expect(failures.some((failure) => failure.startsWith('publint error FILE_DOES_NOT_EXIST'))).toBe(true);
  });

  it('fails a tarball whose exported types are missing, through arethetypeswrong', () => {
    const failures = failuresOf('untyped-export');
    expect(failures).toContain('types points at ./dist/index.d.ts, which is not in the tarball');
    expect(
      failures.some((failure) => /^arethetypeswrong (UntypedResolution|NoResolution)/.test(failure)),
    ).toBe(true);
  });

  it('fails a tarball whose repository disagrees with the one repository constant', () => {
    expect(failuresOf('wrong-repository')).toEqual([
      'repository is {"type":"git","url":"git+https://github.com/someone/else.git"}, expected ' +
        '{"type":"git","url":"git+https://github.com/kycport/kycport.git","directory":"packages/router"}',
    ]);
  });

  it('fails a tarball that depends on a private workspace package', () => {
    expect(failuresOf('private-dependency')).toEqual([
      'dependencies.@kycport/fixtures names a private package that is never published',
    ]);
  });
});
