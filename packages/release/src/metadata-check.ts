/**
 * The manifest metadata a registry page and a consumer rely on: where the package comes from
 * (agreeing with the one repository constant), what it is, its license and the Node it needs.
 */
import type { TarballCheck } from './checks';
import { REQUIRED_KEYWORDS, expectedRepositoryFields } from './repository';
import type { UnpackedPackage } from './tarball';

/** The license every publishable package declares (the root LICENSE is MIT). */
export const EXPECTED_LICENSE = 'MIT';

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function repositoryFailures(pkg: UnpackedPackage): ReadonlyArray<string> {
  const expected = expectedRepositoryFields(pkg.folder);
  const repository = record(pkg.manifest['repository']);
  const failures: string[] = [];
  if (
    repository === undefined ||
    repository['type'] !== expected.repository.type ||
    repository['url'] !== expected.repository.url ||
    repository['directory'] !== expected.repository.directory
  ) {
    failures.push(
      `repository is ${JSON.stringify(pkg.manifest['repository'] ?? null)}, expected ${JSON.stringify(expected.repository)}`,
    );
  }
  if (pkg.manifest['homepage'] !== expected.homepage) {
    failures.push(
      `homepage is ${JSON.stringify(pkg.manifest['homepage'] ?? null)}, expected "${expected.homepage}"`,
    );
  }
  const bugs = pkg.manifest['bugs'];
  const bugsUrl = typeof bugs === 'string' ? bugs : record(bugs)?.['url'];
  if (bugsUrl !== expected.bugs) {
    failures.push(`bugs is ${JSON.stringify(bugs ?? null)}, expected "${expected.bugs}"`);
  }
  return failures;
}

function describingFailures(pkg: UnpackedPackage): ReadonlyArray<string> {
  const failures: string[] = [];
  if (!nonEmptyString(pkg.manifest['description'])) failures.push('description is missing');
  if (pkg.manifest['license'] !== EXPECTED_LICENSE) {
    failures.push(
      `license is ${JSON.stringify(pkg.manifest['license'] ?? null)}, expected "${EXPECTED_LICENSE}"`,
    );
  }
  if (!nonEmptyString(record(pkg.manifest['engines'])?.['node'])) failures.push('engines.node is missing');
  const keywords = pkg.manifest['keywords'];
  const list = Array.isArray(keywords) ? keywords.filter(nonEmptyString) : [];
  const absent = REQUIRED_KEYWORDS.filter((keyword) => !list.includes(keyword));
  if (absent.length > 0) failures.push(`keywords lack ${absent.join(', ')}`);
  else if (list.length <= REQUIRED_KEYWORDS.length)
    failures.push('keywords have none specific to the package');
  return failures;
}

/** repository/homepage/bugs agree with the repository constant; description, license, engines, keywords present. */
export const metadataPresent: TarballCheck = (pkg) => [
  ...repositoryFailures(pkg),
  ...describingFailures(pkg),
];
