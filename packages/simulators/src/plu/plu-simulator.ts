/**
 * The Plu simulator: Plu's Card Partners user endpoints (create, list, retry KYC) on loopback under
 * `/api`, with a per-user KYC state machine, Plu's error envelope, the 3-retry cap, idempotency-key
 * reuse refused for 5 minutes, and `user.kyc-event` webhooks signed with `X-Webhook-Signature`
 * (lowercase hex HMAC-SHA256 of the raw body, keyed with the `whsec_...` secret as-is) or, as a
 * variant, another plausible scheme. What Plu leaves open (refusal codes, a page cap, a missing
 * `total`, the signature scheme) is a variant option (`PluSimulatorOptions`).
 *
 * Sandbox convention (documented by Plu for staging): a case-sensitive keyword at the end of
 * `lastName` decides the outcome of the hosted flow: `Approved`, `Denied`, `needsVerification`;
 * no keyword: approved. An explicit outcome passed to `completeHostedFlow` wins over the keyword.
 * See docs/simulators/plu.md.
 *
 * This file only wires: the routes are in plu-routes.ts, the memory in plu-state.ts, the control
 * methods in plu-control.ts (and `seedUsers` in plu-seed.ts), the webhooks in plu-webhooks.ts.
 */
import { controlRoutes, simulatorPlumbing } from '../provider-simulator';
import type { ProviderSimulator, SimulatedUser } from '../provider-simulator';
import { startSimulatorServer } from '../simulator-server';
import { completePluHostedFlow, setPluUserState } from './plu-control';
import { pluRoutes } from './plu-routes';
import { pluControlRoutes, seedPluUsers } from './plu-seed';
import type { PluSeedOptions } from './plu-seed';
import { PLU_SIMULATOR_API_KEY } from './plu-settings';
import type { PluSimulatorOptions } from './plu-settings';
import { checkPluVariants, createPluContext, listedStatus, pluUserOf } from './plu-state';
import type { PluSimulatorContext, PluSimulatorState, PluUserRecord } from './plu-state';
import { pluSimulatorWebhookSecret, pluWebhookDeliverer } from './plu-webhooks';
import { PLU_API_PREFIX, PLU_SIM_PATHS } from './plu-wire';

/**
 * A Plu simulator user: the common fields plus its simulator state, retries, identity fields and
 * verification URLs.
 */
export interface PluSimulatedUser extends SimulatedUser {
  /** The simulator state (`setUserState` vocabulary); `providerStatus` is what List Users shows. */
  readonly state: PluSimulatorState;
  /** Retries used so far. */
  readonly retryCount: number;
  readonly email: string;
  readonly lastName: string;
  /** The current Persona (or needsVerification) URL handed out. */
  readonly verificationUrl: string;
  /** The same page, served by the simulator over http. */
  readonly verificationPage: string;
}

/**
 * A running Plu simulator: the common simulator controls plus the users' verification pages and
 * seeding.
 */
export interface PluSimulator extends ProviderSimulator {
  readonly provider: 'plu';
  /** The users the simulator knows, with their Plu details. */
  users(): ReadonlyArray<PluSimulatedUser>;
  /** The simulator-hosted page of the user's current inquiry (`${baseUrl}/persona/verify?inquiry-id=...`). */
  verificationPageUrl(ref: string): string;
  /**
   * A test convenience (not a Plu rule): `count` users (1-100 000) put straight into the simulator's
   * memory as if created through the API (`pending_kyc`, no webhook), listed after the existing
   * ones; resolves with their serviceIds in list order. Over HTTP: `POST /__control/users/seed`.
   */
  seedUsers(count: number, options?: PluSeedOptions): Promise<ReadonlyArray<string>>;
}

function simulatedUsers(
  context: PluSimulatorContext,
  pageOf: (user: PluUserRecord) => string,
): PluSimulatedUser[] {
  return [...context.users.values()].map((user) => ({
    ref: user.serviceId,
    providerStatus: listedStatus(user.state),
    attempts: user.retryCount + 1,
    state: user.state,
    retryCount: user.retryCount,
    email: user.email,
    lastName: user.lastName,
    verificationUrl: user.verificationUrl,
    verificationPage: pageOf(user),
  }));
}

/**
 * Starts a Plu simulator on loopback: Plu's card-user endpoints with the staging `lastName`
 * keywords, a stand-in Persona page, signed webhooks and the control API.
 */
export async function startPluSimulator(options: PluSimulatorOptions = {}): Promise<PluSimulator> {
  checkPluVariants(options);
  const webhookSecret = pluSimulatorWebhookSecret(options.signatureScheme ?? 'x-webhook-signature');
  const deliverer = pluWebhookDeliverer(options);
  const context = createPluContext(options, deliverer);
  const started: { simulator?: PluSimulator } = {};
  const current = (): PluSimulator => {
    if (!started.simulator) throw new Error('plu simulator is not started');
    return started.simulator;
  };
  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes: pluRoutes(context),
    controlRoutes: [
      ...controlRoutes(current),
      ...pluControlRoutes((count, seedOptions) => current().seedUsers(count, seedOptions)),
    ],
  });
  const apiBaseUrl = `${server.baseUrl}${PLU_API_PREFIX}`;
  const pageOf = (user: PluUserRecord): string =>
    `${server.baseUrl}${PLU_SIM_PATHS.verificationPage}?inquiry-id=${user.inquiryId}`;
  started.simulator = {
    provider: 'plu',
    baseUrl: server.baseUrl,
    adapterSettings: {
      apiKey: PLU_SIMULATOR_API_KEY,
      baseUrl: apiBaseUrl,
      webhookSecret,
    },
    environment: {
      KYC_PROVIDER: 'plu',
      PLU_API_KEY: PLU_SIMULATOR_API_KEY,
      PLU_BASE_URL: apiBaseUrl,
      PLU_WEBHOOK_SECRET: webhookSecret,
    },
    completeHostedFlow: (ref, outcome) => completePluHostedFlow(context, ref, outcome),
    setUserState: (ref, state) => setPluUserState(context, ref, state),
    users: () => simulatedUsers(context, pageOf),
    verificationPageUrl: (ref) => pageOf(pluUserOf(context, ref)),
    seedUsers: (count, seedOptions) => seedPluUsers(context, count, seedOptions),
    ...simulatorPlumbing(server, deliverer, () => {
      context.users.clear();
      context.inquiries.clear();
      context.idempotencyKeys.clear();
    }),
  };
  return started.simulator;
}
