/**
 * The built package in a plain CommonJS Nest host: `KycModule.forRootAsync` from the environment,
 * a provider call, and no inversify loaded (every module request is recorded in the child process).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const built = existsSync(join(__dirname, '..', 'dist', 'index.js'));

describe('@kycport/nestjs built output', () => {
  it('is present (run `pnpm build`; `pnpm test` builds first)', () => {
    expect(built).toBe(true);
  });

  (built ? it : it.skip)('runs in a Nest host without loading inversify', () => {
    const output = execFileSync(process.execPath, [join(__dirname, 'smoke', 'nest-host.cjs')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(output.trim().split('\n').pop() ?? '')).toEqual({
      provider: 'fake',
      status: 'action_required',
      inversify: [],
    });
  });
});
