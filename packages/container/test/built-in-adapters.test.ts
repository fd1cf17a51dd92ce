/** `KYC_PROVIDER=plu|p100|plaid` loads the adapter package by name and wires it from its variables. */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS } from '@kycport/core';
import { closeKycContainer, createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';

const environments = {
  plu: {
    KYC_PROVIDER: 'plu',
    PLU_API_KEY: 'sk_staging_container_test',
    PLU_WEBHOOK_SECRET: 'whsec_container_test',
  },
  p100: {
    KYC_PROVIDER: 'p100',
    P100_API_KEY: 'p100-container-key',
    P100_ENVIRONMENT: 'staging',
    P100_WEBHOOK_TOKEN: 'p100-token',
  },
  plaid: {
    KYC_PROVIDER: 'plaid',
    PLAID_CLIENT_ID: 'client-container',
    PLAID_SECRET: 'secret-container',
    PLAID_ENVIRONMENT: 'sandbox',
    PLAID_TEMPLATE_ID: 'idvtmp_container',
  },
} as const;

const requiredSecret = { plu: 'PLU_API_KEY', p100: 'P100_API_KEY', plaid: 'PLAID_SECRET' } as const;

describe.each(Object.keys(environments) as Array<keyof typeof environments>)(
  'KYC_PROVIDER=%s',
  (provider) => {
    it('wires the adapter, its webhook handler and the Promise facade', () => {
      const config = kycConfigFromEnv(environments[provider]);
      if (E.isLeft(config)) throw new Error(config.left.message);
      const container = createKycContainer(config.right);
      const port = resolveKyc(container, KYC_TOKENS.KycProvider);
      expect([port.id, resolveKyc(container, KYC_TOKENS.KycWebhookHandler).provider]).toEqual([
        provider,
        provider,
      ]);
      expect(resolveKyc(container, KYC_TOKENS.PromiseKycProvider).capabilities).toBe(port.capabilities);
      closeKycContainer(container);
    });

    it('names a missing secret variable and never echoes the others', () => {
      const env: Record<string, string> = { ...environments[provider] };
      delete env[requiredSecret[provider]];
      const config = kycConfigFromEnv(env);
      if (E.isRight(config)) throw new Error('expected a config error');
      expect(config.left.issues.map((issue) => issue.path)).toContain(requiredSecret[provider]);
      const rendered = JSON.stringify(config.left) + config.left.message;
      for (const value of Object.values(env)) if (value !== provider) expect(rendered).not.toContain(value);
    });
  },
);
