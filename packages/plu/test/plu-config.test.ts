import * as E from 'fp-ts/Either';
import { isKycErrorOfKind } from '@kycport/core';
import { PLU_BASE_URLS, createPluProvider, pluAdapter, pluBaseUrl, pluRedirectPolicy } from '../src';
import { cleanNockAfterEach } from './plu-test-support';

cleanNockAfterEach();

const STAGING_KEY = 'sk_staging_abc123';
const LIVE_KEY = 'sk_live_abc123';

function issuePaths(result: E.Either<{ issues: ReadonlyArray<{ path: string }> }, unknown>): string[] {
  return E.isLeft(result) ? result.left.issues.map((issue) => issue.path) : [];
}

describe('plu configuration', () => {
  it('accepts a staging key and resolves the documented staging base URL', () => {
    const config = pluAdapter.parseConfig({ apiKey: STAGING_KEY });
    expect(E.isRight(config) && pluBaseUrl(config.right)).toBe(PLU_BASE_URLS.staging);
  });

  it('infers production from a live key', () => {
    const config = pluAdapter.parseConfig({ apiKey: LIVE_KEY });
    expect(E.isRight(config) && pluBaseUrl(config.right)).toBe('https://services.getplu.com/api');
  });

  it('lets an explicit base URL (plain http for simulators) override the environment', () => {
    const config = pluAdapter.parseConfig({
      apiKey: LIVE_KEY,
      environment: 'production',
      baseUrl: 'http://localhost:4010/api/',
    });
    expect(E.isRight(config) && pluBaseUrl(config.right)).toBe('http://localhost:4010/api');
  });

  it('rejects keys without a documented prefix, naming the field but not the value', () => {
    const result = pluAdapter.parseConfig({ apiKey: 'pk_test_abc123' });
    expect(issuePaths(result)).toEqual(['apiKey']);
    expect(JSON.stringify(result)).not.toContain('pk_test_abc123');
  });

  it('rejects a webhook secret without the whsec_ prefix', () => {
    expect(issuePaths(pluAdapter.parseConfig({ apiKey: STAGING_KEY, webhookSecret: 'secret' }))).toEqual([
      'webhookSecret',
    ]);
  });

  it('rejects a live key configured for staging', () => {
    const result = pluAdapter.parseConfig({ apiKey: LIVE_KEY, environment: 'staging' });
    expect(issuePaths(result)).toEqual(['environment']);
    expect(JSON.stringify(result)).not.toContain(LIVE_KEY);
  });

  it('rejects unknown programs, out-of-range timeouts and an empty account purpose default', () => {
    const result = pluAdapter.parseConfig({
      apiKey: STAGING_KEY,
      defaultProgram: 'prepaid',
      timeoutMs: 10,
      defaultAccountPurpose: ' ',
    });
    expect(issuePaths(result).sort()).toEqual(['defaultAccountPurpose', 'defaultProgram', 'timeoutMs']);
  });

  it('reads every PLU_ variable', () => {
    const result = pluAdapter.configFromEnv({
      PLU_API_KEY: STAGING_KEY,
      PLU_ENVIRONMENT: 'staging',
      PLU_BASE_URL: 'https://simulator.example.com/api',
      PLU_WEBHOOK_SECRET: 'whsec_abc',
      PLU_TIMEOUT_MS: '20000',
      PLU_DEFAULT_PROGRAM: 'non_custodial',
      PLU_DEFAULT_ACCOUNT_PURPOSE: 'personal use',
      PLU_MAX_SCAN_PAGES: '250',
      PLU_WEBHOOK_MAX_EVENT_AGE_MS: '86400000',
    });
    expect(result).toEqual(
      E.right({
        apiKey: STAGING_KEY,
        environment: 'staging',
        baseUrl: 'https://simulator.example.com/api',
        webhookSecret: 'whsec_abc',
        timeoutMs: 20000,
        defaultProgram: 'non_custodial',
        defaultAccountPurpose: 'personal use',
        maxScanPages: 250,
        webhookMaxEventAgeMs: 86400000,
      }),
    );
  });

  it('allows redirects to the origin of a plain-http base URL only (a local simulator)', () => {
    const parse = (extra: Record<string, unknown>) => {
      const config = pluAdapter.parseConfig({ apiKey: STAGING_KEY, ...extra });
      if (E.isLeft(config)) throw new Error(config.left.message);
      return pluRedirectPolicy(config.right);
    };
    expect(parse({ baseUrl: 'http://127.0.0.1:4010/api/' })).toEqual({
      allowedOrigins: ['http://127.0.0.1:4010'],
    });
    expect(parse({ baseUrl: 'https://simulator.example.com/api' })).toEqual({});
    expect(parse({})).toEqual({});
  });

  it('refuses a webhook age limit out of range', () => {
    for (const value of [0, 999, 1.5, 2_678_400_001]) {
      expect(
        issuePaths(pluAdapter.parseConfig({ apiKey: STAGING_KEY, webhookMaxEventAgeMs: value })),
      ).toEqual(['webhookMaxEventAgeMs']);
    }
  });

  it('names the variable, never the value, in environment errors', () => {
    const mismatch = pluAdapter.configFromEnv({ PLU_API_KEY: LIVE_KEY, PLU_ENVIRONMENT: 'staging' });
    expect(issuePaths(mismatch)).toEqual(['PLU_ENVIRONMENT']);
    expect(JSON.stringify(mismatch)).not.toContain(LIVE_KEY);
    const badTimeout = pluAdapter.configFromEnv({ PLU_API_KEY: LIVE_KEY, PLU_TIMEOUT_MS: 'soon' });
    expect(issuePaths(badTimeout)).toEqual(['PLU_TIMEOUT_MS']);
    expect(JSON.stringify(badTimeout)).not.toContain(LIVE_KEY);
    expect(issuePaths(pluAdapter.configFromEnv({}))).toEqual(['PLU_API_KEY']);
  });

  it('is exposed through the adapter definition the container loads', () => {
    expect(pluAdapter.id).toBe('plu');
    expect(pluAdapter.environmentVariables.map((variable) => variable.name)).toEqual([
      'PLU_API_KEY',
      'PLU_ENVIRONMENT',
      'PLU_BASE_URL',
      'PLU_WEBHOOK_SECRET',
      'PLU_TIMEOUT_MS',
      'PLU_DEFAULT_PROGRAM',
      'PLU_DEFAULT_ACCOUNT_PURPOSE',
      'PLU_MAX_SCAN_PAGES',
      'PLU_WEBHOOK_MAX_EVENT_AGE_MS',
      'PLU_RETRY_PRE_CHECK',
    ]);
    const adapter = pluAdapter.create({ apiKey: STAGING_KEY });
    expect(adapter.provider.id).toBe('plu');
    expect(adapter.webhooks.provider).toBe('plu');
  });

  it('throws a KycException holding a config error when the factory gets invalid settings', () => {
    let thrown: unknown;
    try {
      createPluProvider({ apiKey: 'nope' as string });
    } catch (error) {
      thrown = error;
    }
    expect(isKycErrorOfKind((thrown as { error?: unknown }).error, 'config')).toBe(true);
  });
});
