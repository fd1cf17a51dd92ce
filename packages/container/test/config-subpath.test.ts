/**
 * `@kycport/container/config`: the configuration half without inversify. The built subpath is
 * required in a child process that records every module request; only the main entry loads
 * inversify (the control shows the check would see it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, defineKycAdapter } from '@kycport/core';
import { FakeConfig, createFakeKycProvider, fakeKycAdapter } from '@kycport/testing';
import { ROUTER_ID } from '@kycport/router';
import { buildKyc, createKycContainer, resolveKyc, resolveKycConfig, tryBuildKyc } from '@kycport/container';
import type { KycAdapterDefinition } from '@kycport/core';

const built = existsSync(join(__dirname, '..', 'dist', 'config.js'));

function runHost(...args: string[]): { provider: string; created: string; inversify: string[] } {
  const output = execFileSync(process.execPath, [join(__dirname, 'smoke', 'config-host.cjs'), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '');
}

const fake = fakeKycAdapter as unknown as KycAdapterDefinition<unknown>;
const other = defineKycAdapter({
  id: 'other',
  configCodec: FakeConfig,
  environmentVariables: [],
  create: (config) => createFakeKycProvider({ ...config, id: 'other' }),
}) as unknown as KycAdapterDefinition<unknown>;

describe('@kycport/container/config', () => {
  it('is built (run `pnpm build`; `pnpm test` builds first)', () => {
    expect(built).toBe(true);
  });

  (built ? it : it.skip)('builds and runs an adapter without loading inversify', () => {
    const host = runHost();
    expect(host).toMatchObject({ provider: 'fake', created: 'Right' });
    expect(host.inversify).toEqual([]);
  });

  (built ? it : it.skip)('control: the main entry does load inversify, and the check sees it', () => {
    expect(runHost('@kycport/container').inversify).toContain('inversify');
  });

  it('buildKyc: one provider is its adapter, several are the router', () => {
    const one = buildKyc(
      E.getOrElseW(() => fail('config'))(resolveKycConfig({ provider: 'fake' }, { adapters: [fake] })),
    );
    expect(one.provider.id).toBe('fake');
    one.close();
    const several = tryBuildKyc(
      { provider: 'fake', providers: ['fake', 'other'] },
      { adapters: [fake, other] },
    );
    expect(E.isRight(several) && several.right.provider.id).toBe(ROUTER_ID);
    if (E.isRight(several)) several.right.close();
  });

  it('tryBuildKyc: a bad configuration is a config error, and the container agrees', () => {
    const bad = tryBuildKyc({ provider: 'nope' });
    expect(E.isLeft(bad) && bad.left.kind).toBe('config');
    const container = createKycContainer({ provider: 'fake' }, { adapters: [fake] });
    expect(resolveKyc(container, KYC_TOKENS.KycProvider).id).toBe('fake');
  });
});
