/** Every publishable package carries what its tarball needs: a README of its own and the root LICENSE. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workspacePackages } from './workspace';

const publishable = workspacePackages().filter((entry) => entry.manifest.private !== true);
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

describe('publishable packages', () => {
  it('are found', () => {
    expect(publishable.length).toBeGreaterThan(5);
  });

  it.each(publishable.map((entry) => [entry.manifest.name, entry.folder] as const))(
    '%s has a README naming it and the root LICENSE (MIT)',
    (name, folder) => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { license?: string };
      expect(manifest.license).toBe('MIT');
      expect(license).toMatch(/^MIT License/);
      expect(readFileSync(join(folder, 'LICENSE'), 'utf8')).toBe(license);
      const readme = join(folder, 'README.md');
      expect(existsSync(readme) && readFileSync(readme, 'utf8').startsWith(`# ${name}\n`)).toBe(true);
    },
  );
});
