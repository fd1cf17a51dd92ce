import * as E from 'fp-ts/Either';
import { plaidAdapter } from '../src/plaid-adapter';
import { parsePlaidConfig, plaidBaseUrl } from '../src/plaid-config';
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
    expect(issuesOf(parsePlaidConfig({ clientId: 'c', secret: SECRET, templateId: 't' }))).toEqual([
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
    const config = parsePlaidConfig({
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
});
