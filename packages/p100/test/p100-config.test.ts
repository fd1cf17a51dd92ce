import * as E from 'fp-ts/Either';
import { P100_BASE_URLS, p100Adapter, p100Settings } from '../src';

const KEY = 'p100-secret-key-value';

describe('P100 configuration', () => {
  it('accepts a minimal object and applies the documented defaults', () => {
    const parsed = p100Adapter.parseConfig({ apiKey: KEY });
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    expect(p100Settings(parsed.right)).toEqual({
      baseUrl: P100_BASE_URLS.staging,
      timeoutMs: 15_000,
      kycMethod: 'hosted',
      kycFilesField: 'files',
    });
  });

  it('maps production to https://partner-api.p100.io and lets baseUrl win over environment', () => {
    const production = p100Adapter.parseConfig({ apiKey: KEY, environment: 'production' });
    const explicit = p100Adapter.parseConfig({
      apiKey: KEY,
      environment: 'production',
      baseUrl: 'http://localhost:4010/',
    });
    if (E.isLeft(production) || E.isLeft(explicit)) throw new Error('expected valid configurations');
    expect(p100Settings(production.right).baseUrl).toBe('https://partner-api.p100.io');
    expect(p100Settings(explicit.right).baseUrl).toBe('http://localhost:4010');
  });

  it('rejects an unknown environment, KYC method and a missing key, naming the fields', () => {
    const result = p100Adapter.parseConfig({ environment: 'sandbox', kycMethod: 'video' });
    expect(E.isLeft(result) && result.left.issues.map((issue) => issue.path).sort()).toEqual([
      'apiKey',
      'environment',
      'kycMethod',
    ]);
  });

  it('reads the P100_* variables', () => {
    const result = p100Adapter.configFromEnv({
      P100_API_KEY: KEY,
      P100_ENVIRONMENT: 'production',
      P100_WEBHOOK_TOKEN: 'token-value',
      P100_TIMEOUT_MS: '5000',
      P100_KYC_METHOD: 'document_upload',
    });
    expect(result).toEqual(
      E.right({
        apiKey: KEY,
        environment: 'production',
        webhookToken: 'token-value',
        timeoutMs: 5000,
        kycMethod: 'document_upload',
      }),
    );
  });

  it('names the variable, never its value, when a variable is wrong', () => {
    const result = p100Adapter.configFromEnv({
      P100_API_KEY: KEY,
      P100_TIMEOUT_MS: 'soon',
      P100_KYC_METHOD: 'video',
    });
    if (E.isRight(result)) throw new Error('expected a config error');
    expect(result.left.kind).toBe('config');
    expect(result.left.issues.map((issue) => issue.path).sort()).toEqual([
      'P100_KYC_METHOD',
      'P100_TIMEOUT_MS',
    ]);
    expect(JSON.stringify(result.left)).not.toContain(KEY);
    expect(result.left.message).not.toContain('soon');
  });

  it('reports a missing P100_API_KEY by name', () => {
    const result = p100Adapter.configFromEnv({});
    expect(E.isLeft(result) && result.left.issues).toEqual([
      { path: 'P100_API_KEY', message: 'is required' },
    ]);
  });

  it('accepts its own output again (decoding a decoded configuration changes nothing)', () => {
    const fromEnvironment = p100Adapter.configFromEnv({ P100_API_KEY: KEY, P100_TIMEOUT_MS: '3000' });
    if (E.isLeft(fromEnvironment)) throw new Error(fromEnvironment.left.message);
    expect(p100Adapter.parseConfig(fromEnvironment.right)).toEqual(fromEnvironment);
  });
});
