/**
 * The one place that names the repository the packages are published from. Every publishable
 * manifest's `repository`, `homepage` and `bugs` must agree with it (`pnpm release:check` verifies).
 * Confirm it before the first publish (docs/releasing.md).
 */

/** The canonical repository, without `.git`. */
export const REPOSITORY_URL = 'https://github.com/kycport/kycport';

/** The branch `homepage` links point at. */
export const REPOSITORY_BRANCH = 'main';

/** What a publishable package's manifest must say about where it comes from. */
export interface RepositoryFields {
  readonly repository: { readonly type: 'git'; readonly url: string; readonly directory: string };
  readonly homepage: string;
  readonly bugs: string;
}

/** The `repository`, `homepage` and `bugs` fields expected of the package in `packages/<folder>`. */
export function expectedRepositoryFields(folder: string): RepositoryFields {
  return {
    repository: { type: 'git', url: `git+${REPOSITORY_URL}.git`, directory: `packages/${folder}` },
    homepage: `${REPOSITORY_URL}/tree/${REPOSITORY_BRANCH}/packages/${folder}#readme`,
    bugs: `${REPOSITORY_URL}/issues`,
  };
}

/** Keywords every publishable package carries (each adds at least one of its own). */
export const REQUIRED_KEYWORDS: ReadonlyArray<string> = ['kyc', 'identity-verification'];
