/** `@kycport/fault-matrix` is a test bed: private, and no package of the workspace depends on it. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = join(__dirname, '..', '..');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const manifests: ReadonlyArray<Manifest> = readdirSync(PACKAGES)
  .map((name) => join(PACKAGES, name, 'package.json'))
  .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile())
  .map((path) => JSON.parse(readFileSync(path, 'utf8')) as Manifest);

describe('@kycport/fault-matrix', () => {
  it('is private', () => {
    expect(manifests.find((manifest) => manifest.name === '@kycport/fault-matrix')?.private).toBe(true);
  });

  it('is depended on by no package', () => {
    const dependents = manifests
      .filter((manifest) =>
        [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].some(
          (declared) => declared?.['@kycport/fault-matrix'] !== undefined,
        ),
      )
      .map((manifest) => manifest.name);
    expect(dependents).toEqual([]);
  });
});
