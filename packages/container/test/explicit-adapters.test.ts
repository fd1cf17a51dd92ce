/**
 * The bundler path: adapter definitions handed over explicitly are used as given (nothing loaded by
 * package name, nothing registered globally), the throwing env convenience, and the message when a
 * built-in adapter package cannot be loaded.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, KycException, defineKycAdapter } from '@kycport/core';
import type { ConfigError } from '@kycport/core';
import {
  createKycContainer,
  createKycContainerFromEnv,
  kycConfigFromEnv,
  knownAdapterIds,
  resolveKyc,
} from '@kycport/container';
import { createFakeKycProvider, FakeConfig } from '@kycport/testing';
import type * as Registry from '../src/adapter-registry';

const applicant = () => ({
  externalId: 'c-explicit',
  name: { given: 'Jane', family: 'Doe' },
  email: 'jane@example.com',
  termsAccepted: true,
});

function acmeAdapter() {
  const seen = { created: 0 };
  const definition = defineKycAdapter({
    id: 'acme',
    configCodec: FakeConfig,
    environmentVariables: [],
    create: (config: FakeConfig) => {
      seen.created += 1;
      return createFakeKycProvider(config);
    },
  });
  return { definition, seen };
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (KycException.isInstance(error) && error.error.kind === 'config') return error.error;
    throw error;
  }
  throw new Error('expected a KycException');
}

describe('explicit adapters', () => {
  it('builds the container from a passed definition, without registering it for anyone else', async () => {
    const { definition, seen } = acmeAdapter();
    const container = createKycContainer({ provider: 'acme' }, { adapters: [definition] });
    const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const created = await kyc.createUser({ applicant: applicant() });
    expect(created.userRef).toMatch(/^fake:/); // the fake answers as 'fake' under any adapter id
    expect(seen.created).toBe(1);
    expect(knownAdapterIds()).not.toContain('acme');
    expect(knownAdapterIds({ adapters: [definition] })).toContain('acme');
    const unknown = configErrorOf(() => createKycContainer({ provider: 'acme' }));
    expect(unknown.message).toContain('unknown provider');
  });

  it('reads the environment with passed definitions, and the throwing convenience names the variable', async () => {
    const { definition, seen } = acmeAdapter();
    expect(E.isRight(kycConfigFromEnv({ KYC_PROVIDER: 'acme' }, { adapters: [definition] }))).toBe(true);
    const container = createKycContainerFromEnv({ KYC_PROVIDER: 'acme' }, { adapters: [definition] });
    const created = await resolveKyc(container, KYC_TOKENS.PromiseKycProvider).createUser({
      applicant: applicant(),
    });
    expect(created.userRef).toMatch(/^fake:/);
    expect(seen.created).toBe(1);
    const missing = configErrorOf(() => createKycContainerFromEnv({}));
    expect(missing.issues).toEqual([{ path: 'KYC_PROVIDER', message: 'is required' }]);
    const secret = 'sk_live_do_not_echo';
    const bad = configErrorOf(() =>
      createKycContainerFromEnv({ KYC_PROVIDER: 'plu', PLU_API_KEY: secret, PLU_TIMEOUT_MS: secret }),
    );
    expect(bad.issues.map((issue) => issue.path)).toContain('PLU_TIMEOUT_MS');
    expect(JSON.stringify(bad)).not.toContain(secret);
  });
});

describe('a built-in adapter package that cannot be loaded', () => {
  afterEach(() => jest.resetModules());

  function loadWith(failure: Error & { code?: string }): string {
    let message = '';
    jest.isolateModules(() => {
      jest.doMock('@kycport/plu', () => {
        throw failure;
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const registry = require('../src/adapter-registry') as typeof Registry;
      const result = registry.resolveAdapterDefinition('plu');
      message = E.isLeft(result) ? result.left.message : 'loaded';
    });
    return message;
  }

  it('says it is not installed or not reachable from a bundle, and how to pass it', () => {
    const missing = Object.assign(new Error("Cannot find module '@kycport/plu'"), {
      code: 'MODULE_NOT_FOUND',
    });
    const message = loadWith(missing);
    expect(message).toContain(
      '@kycport/plu could not be loaded: it is not installed, or this code runs from a bundle',
    );
    expect(message).toContain('{ adapters: [...] }');
  });

  it('does not claim "not installed" when the package was found but failed while loading', () => {
    const nested = Object.assign(new Error("Cannot find module 'axios'"), { code: 'MODULE_NOT_FOUND' });
    expect(loadWith(nested)).toContain('failed while loading (MODULE_NOT_FOUND)');
    expect(loadWith(new SyntaxError('Unexpected token'))).toContain('failed while loading (SyntaxError)');
  });
});
