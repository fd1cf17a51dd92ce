/**
 * The demo's migration scene: the host runs on Plu, a user starts verifying, the host restarts with
 * Plaid as the default and Plu still configured; a new user goes to Plaid while the user in flight
 * finishes on Plu (its ref names Plu, its webhook arrives on Plu's path). The tracker's store
 * outlives the restart: the new instance finds the user in flight where the old one recorded it.
 * See docs/migration.md.
 */
import * as E from 'fp-ts/Either';
import { KYC_TOKENS, isFinalStatus, readUserRef } from '@kycport/core';
import type { Environment, KycStore, ProviderId, UserRef } from '@kycport/core';
import { closeKycContainer, createKycContainer, kycConfigFromEnv, resolveKyc } from '@kycport/container';
import { startSimulator } from '@kycport/simulators';
import { demoApplicant } from './demo-applicant';
import { createDemoTracker } from './demo-tracker';
import type { TrackerReport } from './demo-tracker';
import { run } from './onboarding';
import { describeAnswer, describeChange } from './timeline';
import type { WebhookReceiver } from './webhook-receiver';

export interface SwitchSummary {
  /** Where the user in flight finished, and how. */
  readonly inFlight: {
    readonly provider: ProviderId;
    readonly finalStatus: string;
    readonly userRef: UserRef;
  };
  /** Where the user created after the switch went. */
  readonly newUserProvider: ProviderId;
}

function containerFrom(env: Environment) {
  const config = kycConfigFromEnv(env);
  if (E.isLeft(config)) throw new Error(`configuration error: ${config.left.message}`);
  return createKycContainer(config.right);
}

function trackerFor(container: ReturnType<typeof containerFrom>, store: KycStore, report: TrackerReport) {
  return createDemoTracker({
    kyc: resolveKyc(container, KYC_TOKENS.KycProvider),
    webhooks: resolveKyc(container, KYC_TOKENS.KycWebhookHandler),
    store,
    report,
  });
}

export async function runSwitchScene(
  receiver: WebhookReceiver,
  store: KycStore,
  write: (line: string) => void,
): Promise<SwitchSummary> {
  const report: TrackerReport = {
    answer: (result, event) => write(`  [${result.provider ?? 'router'}] ${describeAnswer(result, event)}`),
    change: (change, again) => write(`  [${change.provider}] ${describeChange(change, again)}`),
  };
  const plu = await startSimulator('plu', { webhookUrl: receiver.urlFor('switch-plu') });
  const plaid = await startSimulator('plaid', { webhookUrl: receiver.urlFor('switch-plaid') });
  try {
    write('\n== switching providers: Plu is the default, then Plaid (Plu stays configured)');
    const before = containerFrom({ ...plu.environment, KYC_PROVIDER: 'plu' });
    const first = trackerFor(before, store, report);
    const started = await run(first.tracker.createUser(demoApplicant('switch', `${Date.now()}-early`)));
    write(`  [plu] user ${started.userRef} is in the hosted flow (${started.state.status})`);
    await first.stop();
    closeKycContainer(before);

    write('  host restarts with KYC_PROVIDERS=plu,plaid KYC_PROVIDER=plaid KYC_LEGACY_REF_PROVIDER=plu');
    const after = containerFrom({
      ...plu.environment,
      ...plaid.environment,
      KYC_PROVIDERS: 'plu,plaid',
      KYC_PROVIDER: 'plaid',
      KYC_LEGACY_REF_PROVIDER: 'plu',
    });
    const second = trackerFor(after, store, report);
    const kept = await store.get(started.userRef);
    write(
      `  the store still holds the user in flight: ${kept?.state.status ?? 'nothing'} (v${kept?.version ?? 0})`,
    );
    for (const provider of ['plu', 'plaid'] as const)
      receiver.register(`switch-${provider}`, second.intake(provider));
    const fresh = await run(second.tracker.createUser(demoApplicant('switch', `${Date.now()}-late`)));
    write(`  [${fresh.provider}] a new user goes to the new default: ${fresh.userRef}`);

    await plu.completeHostedFlow(readUserRef(started.userRef).id, 'approved');
    await second.changes.waitFor(
      (change) => change.ref === started.userRef && isFinalStatus(change.state.status),
      15_000,
    );
    // Read through the router (maxAgeMs 0: always ask the provider): the ref names Plu, so Plu answers.
    const finished = await run(second.tracker.getStatus(started.userRef, { maxAgeMs: 0 }));
    write(`  [${finished.provider}] the user in flight finished where it started: ${finished.state.status}`);
    await second.stop();
    closeKycContainer(after);
    return {
      inFlight: { provider: finished.provider, finalStatus: finished.state.status, userRef: started.userRef },
      newUserProvider: fresh.provider,
    };
  } finally {
    await Promise.all([plu.close(), plaid.close()]);
  }
}
