/** Helpers of the Plaid adapter's integration tests against the Plaid simulator (not a test file). */
import * as E from 'fp-ts/Either';
import { formatUserRef, readUserRef } from '@kycport/core';
import type { CreateUserInput, KycError, UserRef } from '@kycport/core';
import { startWebhookRecorder } from '@kycport/simulators';
import type { PlaidSimulator, WebhookRecorder } from '@kycport/simulators';
import { countingObserver } from '@kycport/testing';
import { plaidAdapter } from '../../src/plaid-adapter';
import type { PlaidProvider } from '../../src/plaid-provider';

export type { ReceivedWebhook, WebhookRecorder as Receiver } from '@kycport/simulators';

/**
 * The adapter built from the simulator's settings (validated by `plaidAdapter.parseConfig`, as the
 * container does), with a call counter.
 */
export function wireToSimulator(
  sim: Pick<PlaidSimulator, 'adapterSettings'>,
  overrides: Record<string, unknown> = {},
) {
  const config = plaidAdapter.parseConfig({ ...sim.adapterSettings, ...overrides });
  if (E.isLeft(config)) throw new Error(`the adapter refused the simulator settings: ${config.left.message}`);
  const observer = countingObserver();
  const adapter = plaidAdapter.create(config.right, { observer });
  return {
    provider: adapter.provider as PlaidProvider,
    webhooks: adapter.webhooks,
    observer,
    close: () => adapter.close(),
  };
}

/** The ref the host holds for a Plaid `client_user_id`: `plaid:<client_user_id>`. */
export function plaidRef(clientUserId: string): UserRef {
  return formatUserRef('plaid', clientUserId);
}

/**
 * The simulator keys users by Plaid's bare `client_user_id`; the tests hold host refs
 * (`plaid:<client_user_id>`), converted here for the simulator's control methods.
 */
export function clientUserId(ref: string): string {
  return readUserRef(ref).id;
}

/** A webhook endpoint on loopback. */
export function startReceiver(): Promise<WebhookRecorder> {
  return startWebhookRecorder('/webhooks/plaid');
}

export function right<T>(result: E.Either<KycError, T>): T {
  if (result._tag === 'Left')
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

export function left<T>(result: E.Either<KycError, T>): KycError {
  if (result._tag === 'Right') throw new Error('expected a KycError');
  return result.left;
}

/** Plaid's sandbox test user Leslie Knope, as a kycport applicant. */
export function leslie(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Leslie', family: 'Knope' },
      email: 'leslie.knope@example.com',
      phone: '+12345678909',
      dateOfBirth: '1975-01-18',
      address: { line1: '123 Main St.', city: 'Pawnee', region: 'IN', postalCode: '46001', country: 'US' },
      idNumber: { type: 'us_ssn_last_4', value: '6789' },
      termsAccepted: true,
    },
  };
}

/** Plaid's sandbox test user Ben Wyatt (passes data source, fails document verification). */
export function ben(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Ben', family: 'Wyatt' },
      phone: '+16667778888',
      dateOfBirth: '1974-03-14',
      address: {
        line1: '620 Worster Ave Apt 101',
        city: 'Sherman Oaks',
        region: 'CA',
        postalCode: '91423',
        country: 'US',
      },
      idNumber: { type: 'us_ssn', value: '111223333' },
      termsAccepted: true,
    },
  };
}
