import * as E from 'fp-ts/Either';
import {
  PlaidIdentityVerification,
  PlaidIdentityVerificationListResponse,
  PlaidIdentityVerificationWebhook,
  PlaidWebhookVerificationKeyResponse,
} from '../src/plaid-api';
import { PlaidErrorBody } from '../src/plaid-error';
import { plaidKycState } from '../src/plaid-status-mapping';
import {
  PLAID_OPERATION_PATHS,
  exampleResponse,
  requestSchemaErrors,
  responseSchemaErrors,
  schemaExample,
} from '@kycport/fixtures';

describe('Plaid schema subset (plaid/plaid-openapi 2020-09-14.yml @ 26f1a05, 2020-09-14_1.697.4)', () => {
  it('has an example response for every operation, valid against its own schema', () => {
    for (const path of PLAID_OPERATION_PATHS) {
      expect([path, responseSchemaErrors(path, exampleResponse(path))]).toEqual([path, []]);
    }
  });

  it('decodes the create, get and retry example responses with the attempt codec', () => {
    for (const path of [
      '/identity_verification/create',
      '/identity_verification/get',
      '/identity_verification/retry',
    ] as const) {
      const decoded = PlaidIdentityVerification.decode(exampleResponse(path));
      expect([path, E.isRight(decoded)]).toEqual([path, true]);
      if (E.isRight(decoded))
        expect(plaidKycState(decoded.right)).toMatchObject(E.right({ status: 'approved' }));
    }
  });

  it('decodes the list example response', () => {
    const decoded = PlaidIdentityVerificationListResponse.decode(
      exampleResponse('/identity_verification/list'),
    );
    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded)) expect(decoded.right.identity_verifications.length).toBeGreaterThan(0);
  });

  it('decodes the webhook verification key example response', () => {
    const decoded = PlaidWebhookVerificationKeyResponse.decode(
      exampleResponse('/webhook_verification_key/get'),
    );
    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded))
      expect(decoded.right.key).toMatchObject({ alg: 'ES256', crv: 'P-256', expired_at: null });
  });

  it('decodes the three Identity Verification webhook examples', () => {
    for (const name of [
      'IdentityVerificationStatusUpdatedWebhook',
      'IdentityVerificationStepUpdatedWebhook',
      'IdentityVerificationRetriedWebhook',
    ]) {
      expect([name, E.isRight(PlaidIdentityVerificationWebhook.decode(schemaExample(name)))]).toEqual([
        name,
        true,
      ]);
    }
  });

  it('decodes responses with unknown enum values and extra fields', () => {
    const base = exampleResponse('/identity_verification/get');
    const example: Record<string, unknown> = {
      ...base,
      status: 'on_hold',
      brand_new_field: { a: 1 },
      steps: { ...(base.steps as object), liveness_v2: 'queued' },
    };
    const decoded = PlaidIdentityVerification.decode(example);
    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded))
      expect(plaidKycState(decoded.right)).toMatchObject(
        E.right({ status: 'pending', providerStatus: 'on_hold' }),
      );
  });

  it('decodes a PlaidError body with a newer error_type', () => {
    expect(
      E.isRight(
        PlaidErrorBody.decode({
          error_type: 'IDEMPOTENCY_ERROR',
          error_code: 'X',
          error_message: 'm',
          display_message: null,
          request_id: 'r',
        }),
      ),
    ).toBe(true);
  });

  it('rejects request bodies with fields the pinned version does not have (the validator is closed)', () => {
    const body = {
      client_user_id: 'u',
      template_id: 't',
      is_shareable: true,
      gave_consent: true,
      user: { ip_address: '192.0.2.1' },
    };
    expect(requestSchemaErrors('/identity_verification/create', body)).not.toEqual([]);
    expect(
      requestSchemaErrors('/identity_verification/create', {
        ...body,
        user: { email_address: 'not an email' },
      }),
    ).not.toEqual([]);
    expect(
      requestSchemaErrors('/identity_verification/retry', {
        client_user_id: 'u',
        template_id: 't',
        strategy: 'infer',
      }),
    ).toEqual([]);
  });
});
