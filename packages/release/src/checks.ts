/**
 * The checks `pnpm release:check` runs on every unpacked tarball. Each is a pure function of the
 * unpacked package (its file list and manifest) and answers with its failures, one sentence each;
 * an empty list is a pass.
 */
import type { UnpackedPackage } from './tarball';

/** One check: the failures it finds in a package (none when it passes). */
export type TarballCheck = (pkg: UnpackedPackage) => ReadonlyArray<string>;

/** The dependency fields a published manifest carries. */
export const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

/** The fields a consumer's install acts on (devDependencies are never installed by a consumer). */
const INSTALLED_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Range protocols that only mean something inside this workspace. */
const LOCAL_PROTOCOL = /^(workspace|link|file|portal|catalog):/;

/** Paths that belong to tests, not to a published package. */
const TEST_PATHS: ReadonlyArray<RegExp> = [
  /(^|\/)(test|tests|__tests__|__mocks__|fixtures|__fixtures__)\//,
  /\.(test|spec)\.[^/]*$/,
  /\.tsbuildinfo$/,
  /(^|\/)jest\.config\.[^/]*$/,
];

function stringRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** README.md, LICENSE and CHANGELOG.md are in the tarball; the changelog has an entry for this version. */
export const requiredFiles: TarballCheck = (pkg) => {
  const missing = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']
    .filter((file) => !pkg.files.includes(file))
    .map((file) => `${file} is missing from the tarball`);
  return missing;
};

/** The changelog in the tarball has a `## <version>` entry for the version being published. */
export function changelogEntry(pkg: UnpackedPackage, changelog: string | undefined): ReadonlyArray<string> {
  const version = pkg.manifest['version'];
  if (changelog === undefined || typeof version !== 'string') return [];
  const heading = new RegExp(`^## ${version.replace(/[.+]/g, '\\$&')}\\s*$`, 'm');
  return heading.test(changelog) ? [] : [`CHANGELOG.md has no "## ${version}" entry`];
}

/** No dependency range uses a workspace-only protocol (`workspace:`, `link:`, `file:`...). */
export const noLocalRanges: TarballCheck = (pkg) =>
  DEPENDENCY_FIELDS.flatMap((field) =>
    Object.entries(stringRecord(pkg.manifest[field]))
      .filter(([, range]) => typeof range === 'string' && LOCAL_PROTOCOL.test(range))
      .map(([name, range]) => `${field}.${name} is "${String(range)}": a workspace-only range was published`),
  );

/** No dependency a consumer installs is a private (never published) workspace package. */
export function noPrivateDependencies(privateNames: ReadonlySet<string>): TarballCheck {
  return (pkg) =>
    INSTALLED_FIELDS.flatMap((field) =>
      Object.keys(stringRecord(pkg.manifest[field]))
        .filter((name) => privateNames.has(name))
        .map((name) => `${field}.${name} names a private package that is never published`),
    );
}

/** No test file, test folder, test fixture or TypeScript build-info file is in the tarball. */
export const noTestFiles: TarballCheck = (pkg) =>
  pkg.files
    .filter((file) => TEST_PATHS.some((pattern) => pattern.test(file)))
    .map((file) => `${file} is a test file (or test build output) and must not be published`);

function exportTargets(value: unknown, path: string): ReadonlyArray<readonly [string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => exportTargets(item, `${path}[${index}]`));
  return Object.entries(stringRecord(value)).flatMap(([key, item]) =>
    exportTargets(item, `${path}["${key}"]`),
  );
}

function entryFields(pkg: UnpackedPackage): ReadonlyArray<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = [];
  for (const field of ['main', 'types', 'typings', 'module']) {
    const value = pkg.manifest[field];
    if (typeof value === 'string') fields.push([field, value]);
  }
  const bin = pkg.manifest['bin'];
  if (typeof bin === 'string') fields.push(['bin', bin]);
  else
    for (const [name, target] of Object.entries(stringRecord(bin)))
      fields.push([`bin.${name}`, String(target)]);
  return [...fields, ...exportTargets(pkg.manifest['exports'], 'exports')];
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+');
  return new RegExp(`^${escaped}$`);
}

/** `main`, `types`, `bin` and every `exports` target name a file that is in the tarball. */
export const entryPointsExist: TarballCheck = (pkg) => {
  if (typeof pkg.manifest['main'] !== 'string') return ['package.json has no "main"'];
  const failures: string[] = [];
  if (typeof pkg.manifest['types'] !== 'string' && typeof pkg.manifest['typings'] !== 'string') {
    failures.push('package.json has no "types"');
  }
  for (const [field, target] of entryFields(pkg)) {
    const file = target.replace(/^\.\//, '');
    const found = file.includes('*')
      ? pkg.files.some((candidate) => globToRegExp(file).test(candidate))
      : pkg.files.includes(file);
    if (!found) failures.push(`${field} points at ${target}, which is not in the tarball`);
  }
  return failures;
};
