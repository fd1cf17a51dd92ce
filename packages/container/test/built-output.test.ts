/**
 * The built packages load from both an ES module and a CommonJS host on Node >= 20.19. The
 * packages are compiled to CommonJS; ESM hosts import them through Node's CommonJS named-export
 * detection, and the CommonJS container loads ESM-only inversify 8 through require(esm).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(__dirname, '..', '..');
const built = ['core', 'http', 'container', 'testing'].every((name) =>
  existsSync(join(packagesDir, name, 'dist', 'index.js')),
);

function runHost(file: string): unknown {
  const output = execFileSync(process.execPath, [join(__dirname, 'smoke', file)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '');
}

describe('built output', () => {
  it('is present (run `pnpm build`; `pnpm test` builds first)', () => {
    expect(built).toBe(true);
  });

  (built ? it : it.skip)('loads from an ES module host', () => {
    expect(runHost('esm-host.mjs')).toEqual({
      format: 'esm',
      provider: 'fake',
      status: 'action_required',
      guard: 'function',
    });
  });

  (built ? it : it.skip)('loads from a CommonJS host', () => {
    expect(runHost('cjs-host.cjs')).toEqual({
      format: 'cjs',
      provider: 'fake',
      status: 'action_required',
      guard: 'function',
    });
  });
});
