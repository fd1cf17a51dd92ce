import * as E from 'fp-ts/Either';
import { KycException } from '@kycport/core';
import type { PlaidConfig } from '../src/plaid-config';
import { createPlaidProvider, plaidAdapter } from '../src/plaid-adapter';
import { plaidBaseUrl, plaidRedirectPolicy } from '../src/plaid-config';
import { CLIENT_ID, SECRET, TEMPLATE_ID } from './plaid-test-kit';

const env = {
  PLAID_CLIENT_ID: CLIENT_ID,
  PLAID_SECRET: SECRET,
  PLAID_ENVIRONMENT: 'production',
  PLAID_TEMPLATE_ID: TEMPLATE_ID,
};

function issuesOf(
  result: E.Either<{ issues: ReadonlyArray<{ path: string }>; message: string }, unknown>,
): string[] {
  if (E.isRight(result)) throw new Error('expected a config error');
  expect(result.left.message).not.toContain(SECRET);
  return result.left.issues.map((issue) => issue.path);
}

describe('Plaid configuration', () => {
  it('reads the PLAID_* environment variables', () => {
    const result = plaidAdapter.configFromEnv({ ...env, PLAID_TIMEOUT_MS: '5000' });
    expect(result).toEqual(
      E.right({
        clientId: CLIENT_ID,
        secret: SECRET,
        environment: 'production',
        templateId: TEMPLATE_ID,
        timeoutMs: 5000,
      }),
    );
  });

  it('maps sandbox and production to Plaid base URLs, and lets baseUrl override them', () => {
    expect(plaidBaseUrl({ clientId: 'c', secret: 's', templateId: 't', environment: 'sandbox' })).toBe(
      'https://sandbox.plaid.com',
    );
    expect(plaidBaseUrl({ clientId: 'c', secret: 's', templateId: 't', environment: 'production' })).toBe(
      'https://production.plaid.com',
    );
    expect(
      plaidBaseUrl({
        clientId: 'c',
        secret: 's',
        templateId: 't',
        environment: 'production',
        baseUrl: 'http://127.0.0.1:4010',
      }),
    ).toBe('http://127.0.0.1:4010');
  });

  it('requires an environment or a base URL (no silent production default)', () => {
    expect(issuesOf(plaidAdapter.parseConfig({ clientId: 'c', secret: SECRET, templateId: 't' }))).toEqual([
      'environment',
    ]);
    expect(issuesOf(plaidAdapter.configFromEnv({ ...env, PLAID_ENVIRONMENT: undefined }))).toEqual([
      'PLAID_ENVIRONMENT',
    ]);
    expect(
      E.isRight(
        plaidAdapter.configFromEnv({
          ...env,
          PLAID_ENVIRONMENT: undefined,
          PLAID_BASE_URL: 'http://localhost:4010',
        }),
      ),
    ).toBe(true);
  });

  it('names the variables that are missing or wrong, never their values', () => {
    expect(
      issuesOf(
        plaidAdapter.configFromEnv({
          PLAID_SECRET: SECRET,
          PLAID_ENVIRONMENT: 'staging',
          PLAID_TIMEOUT_MS: 'soon',
        }),
      ).sort(),
    ).toEqual(['PLAID_CLIENT_ID', 'PLAID_ENVIRONMENT', 'PLAID_TEMPLATE_ID', 'PLAID_TIMEOUT_MS'].sort());
  });

  it('builds a provider and its webhook handler through the adapter definition', () => {
    const config = plaidAdapter.parseConfig({
      clientId: CLIENT_ID,
      secret: SECRET,
      environment: 'sandbox',
      templateId: TEMPLATE_ID,
    });
    if (E.isLeft(config)) throw new Error(config.left.message);
    const adapter = plaidAdapter.create(config.right);
    (adapter.provider as unknown as { close(): void }).close();
    expect(adapter.provider.id).toBe('plaid');
    expect(adapter.webhooks.provider).toBe('plaid');
    expect(
      plaidAdapter.environmentVariables
        .filter((variable) => variable.secret)
        .map((variable) => variable.name),
    ).toEqual(['PLAID_CLIENT_ID', 'PLAID_SECRET']);
  });

  // Unified rule (issue 10): the config is validated once, in createPlaidProvider too (it never was).
  it('createPlaidProvider throws a KycException holding a config error for an invalid config', () => {
    // Neither environment nor baseUrl: before, the provider silently used the sandbox URL.
    const bad = { clientId: CLIENT_ID, secret: SECRET, templateId: TEMPLATE_ID } as PlaidConfig;
    let thrown: unknown;
    try {
      createPlaidProvider(bad).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KycException);
    const error = (thrown as KycException).error;
    expect(error).toMatchObject({ kind: 'config', provider: 'plaid' });
    expect('issues' in error ? error.issues.map((issue) => issue.path) : []).toEqual(['environment']);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((thrown as Error).message).not.toContain(SECRET);
  });

  it('allows plain-http redirects only to the origin of a plain-http base URL', () => {
    const base = { clientId: 'c', secret: 's', templateId: 't' } as const;
    expect(plaidRedirectPolicy({ ...base, environment: 'sandbox' })).toEqual({});
    expect(plaidRedirectPolicy({ ...base, baseUrl: 'https://plaid.proxy.example/v1' })).toEqual({});
    expect(plaidRedirectPolicy({ ...base, baseUrl: 'http://127.0.0.1:4010/' })).toEqual({
      allowedOrigins: ['http://127.0.0.1:4010'],
    });
  });

  it('reads webhookKeyFetchesPerMinute from PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE (1-1000)', () => {
    const result = plaidAdapter.configFromEnv({ ...env, PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE: '3' });
    expect(E.isRight(result) && result.right.webhookKeyFetchesPerMinute).toBe(3);
    expect(
      issuesOf(plaidAdapter.configFromEnv({ ...env, PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE: '0' })),
    ).toEqual(['PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE']);
  });
});
