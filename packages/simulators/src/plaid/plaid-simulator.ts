/**
 * The Plaid Identity Verification simulator: `/identity_verification/{create,get,list,retry}` and
 * `/webhook_verification_key/get` on loopback, with Plaid's credentials check and `PlaidError`
 * bodies, a per-user attempt history (retries link back with `previous_attempt_id`), the retry
 * strategy rules, and the IDENTITY_VERIFICATION webhooks signed with a `Plaid-Verification` ES256
 * JWT by the simulator's own P-256 key (served by its `/webhook_verification_key/get`).
 *
 * Sandbox convention (Plaid's documented test users, see `plaidConventionalOutcome` and
 * docs/simulators/plaid.md): Leslie Knope passes -> `success`; anyone else fails documentary
 * verification -> `failed`.
 *
 * This file only wires: the routes are in plaid-routes.ts (and the files it names), the memory in
 * plaid-state.ts, the control methods in plaid-control.ts, the webhooks in plaid-webhooks.ts.
 */
import { controlRoutes, simulatorPlumbing } from '../provider-simulator';
import type { ProviderSimulator } from '../provider-simulator';
import { startSimulatorServer } from '../simulator-server';
import type { Attempt } from './plaid-attempts';
import { completePlaidHostedFlow, setPlaidUserState } from './plaid-control';
import { plaidRoutes } from './plaid-routes';
import { PLAID_SIMULATOR_CLIENT_ID, PLAID_SIMULATOR_SECRET } from './plaid-settings';
import type { PlaidSimulatorOptions } from './plaid-settings';
import { createPlaidContext, viewOf } from './plaid-state';
import { createPlaidWebhookSigning, plaidWebhookDeliverer } from './plaid-webhooks';

/**
 * A running Plaid simulator: the common simulator controls, its template and webhook signing key,
 * and every attempt of a user.
 */
export interface PlaidSimulator extends ProviderSimulator {
  readonly provider: 'plaid';
  /** The Identity Verification template the simulator knows (`PLAID_SIMULATOR_TEMPLATE_ID`). */
  readonly templateId: string;
  /** `kid` of the simulator's webhook signing key. */
  readonly webhookKeyId: string;
  /** The public key as `/webhook_verification_key/get` serves it. */
  readonly webhookKey: Readonly<Record<string, unknown>>;
  /** Every attempt of a user, oldest first, as `/identity_verification/get` returns them (no request_id). */
  attempts(ref: string): ReadonlyArray<Record<string, unknown>>;
}

/**
 * Starts a Plaid simulator on loopback: the Identity Verification endpoints with Plaid's sandbox
 * conventions, ES256-signed JWT webhooks with the key endpoint, and the control API.
 */
export async function startPlaidSimulator(options: PlaidSimulatorOptions = {}): Promise<PlaidSimulator> {
  const signing = await createPlaidWebhookSigning();
  const deliverer = plaidWebhookDeliverer(options, signing);
  const context = createPlaidContext(options, signing, deliverer);
  const started: { simulator?: PlaidSimulator } = {};
  const current = (): PlaidSimulator => {
    if (!started.simulator) throw new Error('plaid simulator is not started');
    return started.simulator;
  };
  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes: plaidRoutes(context),
    controlRoutes: controlRoutes(current),
  });
  context.baseUrl = server.baseUrl;
  const { templateId } = context;
  started.simulator = {
    provider: 'plaid',
    baseUrl: server.baseUrl,
    templateId,
    webhookKeyId: signing.kid,
    webhookKey: signing.webhookKey,
    adapterSettings: {
      clientId: PLAID_SIMULATOR_CLIENT_ID,
      secret: PLAID_SIMULATOR_SECRET,
      templateId,
      baseUrl: server.baseUrl,
    },
    environment: {
      KYC_PROVIDER: 'plaid',
      PLAID_CLIENT_ID: PLAID_SIMULATOR_CLIENT_ID,
      PLAID_SECRET: PLAID_SIMULATOR_SECRET,
      PLAID_TEMPLATE_ID: templateId,
      PLAID_BASE_URL: server.baseUrl,
    },
    completeHostedFlow: (ref, outcome) => completePlaidHostedFlow(context, ref, outcome),
    setUserState: (ref, state) => setPlaidUserState(context, ref, state),
    users: () =>
      [...context.histories.entries()].map(([ref, history]) => ({
        ref,
        providerStatus: (history[history.length - 1] as Attempt).status,
        attempts: history.length,
      })),
    attempts: (ref) => (context.histories.get(ref) ?? []).map((attempt) => viewOf(context, attempt)),
    ...simulatorPlumbing(server, deliverer, () => {
      context.histories.clear();
      context.byId.clear();
    }),
  };
  return started.simulator;
}
