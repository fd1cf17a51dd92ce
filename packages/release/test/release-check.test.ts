/**
 * `pnpm release:check` on the real workspace: every publishable package, packed by pnpm as a release
 * would pack it, passes every check (needs built output: the test command builds first).
 */
import { formatReleaseCheck, publishablePackages, releaseCheck, releaseCheckPassed } from '../src';
import type { ReleaseCheckResult } from '../src';

let result: ReleaseCheckResult;

beforeAll(() => {
  result = releaseCheck();
}, 300_000);

describe('release:check on the workspace', () => {
  it('packs and checks every publishable package', () => {
    expect(result.packages.map((pkg) => pkg.name)).toEqual(publishablePackages().map((pkg) => pkg.name));
    expect(result.packages.length).toBeGreaterThan(5);
  });

  it('finds no failure in any tarball', () => {
    const failures = Object.fromEntries(result.packages.map((pkg) => [pkg.name, pkg.failures]));
    expect(failures).toEqual(Object.fromEntries(result.packages.map((pkg) => [pkg.name, []])));
  });

  it('finds the changesets config in line with the workspace', () => {
    expect(result.workspaceFailures).toEqual([]);
  });

  it('passes and says so, one line per package', () => {
    expect(releaseCheckPassed(result)).toBe(true);
    const lines = formatReleaseCheck(result);
    expect(lines).toHaveLength(result.packages.length + 1);
    expect(lines[0]).toMatch(/^ok {4}@kycport\/[a-z0-9-]+@\d+\.\d+\.\d+ {2}\(\d+ files\)$/);
    expect(lines.at(-1)).toBe(`release:check passed: ${result.packages.length} packages`);
  });
});
