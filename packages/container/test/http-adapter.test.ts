/**
 * Issue 17: the stock axios adapter stays selectable by configuration. `httpAdapter` on the
 * container (or `buildKyc`) reaches every adapter's `transport` dependency, and the Plu adapter
 * built that way sends through axios's stock adapter, which the provider sees: it asks for
 * compressed answers (`Accept-Encoding`), where kycport's lean adapter asks for none.
 */
import nock from 'nock';
import { KYC_TOKENS, defineKycAdapter, userRef } from '@kycport/core';
import type { KycAdapterDependencies } from '@kycport/core';
import { buildKyc, closeKycContainer, createKycContainer, resolveKyc } from '@kycport/container';
import { resolveKycConfig } from '@kycport/container/config';
import { pluAdapter } from '@kycport/plu';
import { createFakeKycProvider, FakeConfig } from '@kycport/testing';

function recordingAdapter(id: string, seen: KycAdapterDependencies[]) {
  return defineKycAdapter({
    id,
    configCodec: FakeConfig,
    environmentVariables: [],
    create: (config: FakeConfig, dependencies: KycAdapterDependencies) => {
      seen.push(dependencies);
      return createFakeKycProvider({ ...config, id });
    },
  });
}

describe('httpAdapter reaches the adapters', () => {
  it.each([['axios' as const], ['lean' as const], [undefined]])(
    'the container passes httpAdapter %p to one adapter and to every routed one',
    (httpAdapter) => {
      const seen: KycAdapterDependencies[] = [];
      const adapters = [recordingAdapter('north', seen), recordingAdapter('south', seen)];
      const options = { adapters, ...(httpAdapter ? { httpAdapter } : {}) };
      resolveKyc(createKycContainer({ provider: 'north', north: {} }, options), KYC_TOKENS.KycProvider);
      resolveKyc(
        createKycContainer(
          { provider: 'north', providers: ['north', 'south'], north: {}, south: {} },
          options,
        ),
        KYC_TOKENS.KycProvider,
      );
      expect(seen).toHaveLength(3);
      for (const dependencies of seen) {
        expect(dependencies.transport).toEqual(httpAdapter ? { httpAdapter } : undefined);
      }
    },
  );

  it('buildKyc (the inversify-free path) passes it too', () => {
    const seen: KycAdapterDependencies[] = [];
    const adapters = [recordingAdapter('north', seen)];
    const resolved = resolveKycConfig({ provider: 'north', north: {} }, { adapters });
    if (resolved._tag === 'Left') throw new Error('config');
    buildKyc(resolved.right, { httpAdapter: 'axios' });
    expect(seen[0]?.transport).toEqual({ httpAdapter: 'axios' });
  });
});

describe('what Plu sees', () => {
  const BASE = 'https://api.plu.test';
  const users = {
    status: 'success',
    message: 'success',
    data: {
      users: [{ serviceId: 'acme-user-1', status: 'approved', createdAt: '2025-01-15T10:30:00.000Z' }],
      pagination: { skip: 0, limit: 100, total: 1 },
    },
  };

  afterEach(() => nock.cleanAll());

  it.each([
    ['axios', /gzip/],
    [undefined, undefined],
  ] as const)('httpAdapter %p: Accept-Encoding %p', async (httpAdapter, acceptEncoding) => {
    const seen: Array<string | undefined> = [];
    nock(BASE)
      .get('/v1/partner/card/users')
      .query(true)
      .reply(function reply() {
        const header = this.req.headers['accept-encoding'];
        seen.push(Array.isArray(header) ? header.join(',') : header);
        return [200, users];
      });
    const container = createKycContainer(
      { provider: 'plu', plu: { apiKey: 'sk_staging_http_adapter', baseUrl: BASE } },
      { adapters: [pluAdapter], ...(httpAdapter ? { httpAdapter } : {}) },
    );
    const result = await resolveKyc(container, KYC_TOKENS.KycProvider).getStatus(
      userRef('plu:acme-user-1'),
    )();
    closeKycContainer(container);
    expect(result).toMatchObject({ _tag: 'Right', right: { state: { status: 'approved' } } });
    expect(seen).toHaveLength(1);
    if (acceptEncoding) expect(seen[0]).toMatch(acceptEncoding);
    else expect(seen[0]).toBeUndefined();
  });
});
