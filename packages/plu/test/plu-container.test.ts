/**
 * `KYC_PROVIDER=plu` wiring through the container. @kycport/container is resolved through the
 * workspace jest mapper and tsconfig paths (it is not a declared dependency of this package; see the
 * report to the lead).
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS } from '@kycport/core';
import { createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import { API_KEY, WEBHOOK_SECRET, bodyFixture, fixture, plu, cleanNockAfterEach, signedDelivery, validInput } from './plu-test-support';

cleanNockAfterEach();

describe('plu through the container', () => {
  it('wires KYC_PROVIDER=plu with its PLU_ variables', async () => {
    const config = kycConfigFromEnv({
      KYC_PROVIDER: 'plu',
      PLU_API_KEY: API_KEY,
      PLU_ENVIRONMENT: 'staging',
      PLU_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PLU_DEFAULT_PROGRAM: 'custodial',
      PLU_DEFAULT_ACCOUNT_PURPOSE: 'personal use',
    });
    if (E.isLeft(config)) throw new Error(config.left.message);
    const container = createKycContainer(config.right);
    const provider = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    expect(provider.id).toBe('plu');
    plu().post('/api/v2/partner/card/users', bodyFixture('create-user-request')).reply(201, fixture('create-user-response'));
    const created = await provider.createUser({ applicant: validInput.applicant });
    expect(created.userRef).toBe('acme-user-abc123def456ghi');
    const event = await resolveKyc(container, KYC_TOKENS.PromiseKycWebhookHandler).parseWebhook(signedDelivery(fixture('webhook-kyc-approved')));
    expect(event.stateIncluded && event.state.status).toBe('approved');
  });

  it('reports a missing PLU_API_KEY by name', () => {
    const config = kycConfigFromEnv({ KYC_PROVIDER: 'plu' });
    expect(E.isLeft(config) && config.left.issues.map((issue) => issue.path)).toEqual(['PLU_API_KEY']);
  });
});
