/**
 * The demo's migration scene: the host runs on Plu, a user starts verifying, the host restarts with
 * Plaid as the default and Plu still configured; a new user goes to Plaid while the user in flight
 * finishes on Plu (its ref names Plu, its webhook arrives on Plu's path). See docs/migration.md.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, readUserRef, toPromiseWebhookHandler } from '@kycport/core';
import type { Environment, ProviderId } from '@kycport/core';
import {
  closeKycContainer,
  createKycContainer,
  kycConfigFromEnv,
  resolveKyc,
  resolveKycRouter,
} from '@kycport/container';
import { startSimulator } from '@kycport/simulators';
import { demoApplicant } from './demo-applicant';
import type { WebhookReceiver } from './webhook-receiver';
import { settlesAttempt } from './webhook-receiver';

export interface SwitchSummary {
  /** Where the user in flight finished, and how. */
  readonly inFlight: { readonly provider: ProviderId; readonly finalStatus: string };
  /** Where the user created after the switch went. */
  readonly newUserProvider: ProviderId;
}

function containerFrom(env: Environment) {
  const config = kycConfigFromEnv(env);
  if (E.isLeft(config)) throw new Error(`configuration error: ${config.left.message}`);
  return createKycContainer(config.right);
}

export async function runSwitchScene(
  receiver: WebhookReceiver,
  write: (line: string) => void,
): Promise<SwitchSummary> {
  const plu = await startSimulator('plu', { webhookUrl: receiver.urlFor('switch-plu') });
  const plaid = await startSimulator('plaid', { webhookUrl: receiver.urlFor('switch-plaid') });
  try {
    write('\n== switching providers: Plu is the default, then Plaid (Plu stays configured)');
    const before = containerFrom({ ...plu.environment, KYC_PROVIDER: 'plu' });
    const started = await resolveKyc(before, KYC_TOKENS.PromiseKycProvider).createUser(
      demoApplicant('switch', `${Date.now()}-early`),
    );
    write(`  [plu] user ${started.userRef} is in the hosted flow (${started.state.status})`);
    closeKycContainer(before);

    write('  host restarts with KYC_PROVIDERS=plu,plaid KYC_PROVIDER=plaid KYC_LEGACY_REF_PROVIDER=plu');
    const after = containerFrom({
      ...plu.environment,
      ...plaid.environment,
      KYC_PROVIDERS: 'plu,plaid',
      KYC_PROVIDER: 'plaid',
      KYC_LEGACY_REF_PROVIDER: 'plu',
    });
    const router = resolveKycRouter(after);
    for (const provider of ['plu', 'plaid'] as const) {
      receiver.register(
        `switch-${provider}`,
        toPromiseWebhookHandler({
          provider,
          parseWebhook: (request) => router.webhooks.parseWebhook({ ...request, provider }),
        }),
      );
    }
    const kyc = resolveKyc(after, KYC_TOKENS.PromiseKycProvider);
    const fresh = await kyc.createUser(demoApplicant('switch', `${Date.now()}-late`));
    write(`  [${fresh.provider}] a new user goes to the new default: ${fresh.userRef}`);

    await plu.completeHostedFlow(readUserRef(started.userRef).id, 'approved');
    const event = await receiver.waitFor(
      (candidate) =>
        readUserRef(candidate.userRef).id === readUserRef(started.userRef).id && settlesAttempt(candidate),
      15_000,
    );
    write(`  [${event.provider}] webhook for the user in flight, verified on Plu's path: ${event.type}`);
    const finished = await kyc.getStatus(started.userRef);
    write(`  [${finished.provider}] the user in flight finished where it started: ${finished.state.status}`);
    closeKycContainer(after);
    return {
      inFlight: { provider: finished.provider, finalStatus: finished.state.status },
      newUserProvider: fresh.provider,
    };
  } finally {
    await Promise.all([plu.close(), plaid.close()]);
  }
}
