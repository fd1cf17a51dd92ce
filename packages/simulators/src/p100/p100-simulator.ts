/**
 * The P100 simulator: P100's Partner API onboarding endpoints on loopback, with a per-user KYC
 * state machine, P100's error codes and irregular statuses, the attempt cap (P430), and the
 * KYC/user/file/POA webhooks authenticated with the Webhook Security Token in `Authorization`.
 *
 * P100 documents no sandbox convention; this one is the simulator's own (docs/simulators/p100.md):
 * when a hosted flow is completed without an outcome, a lastName ending in `Denied` is rejected
 * (`NO_FACE_FOUND`); anything else (e.g. ending in `Approved`) is approved.
 *
 * This file only wires: the routes are in p100-routes.ts (and the files it names), the memory in
 * p100-state.ts, the control methods in p100-control.ts.
 */
import { controlRoutes, simulatorPlumbing } from '../provider-simulator';
import type { ProviderSimulator } from '../provider-simulator';
import { startSimulatorServer } from '../simulator-server';
import {
  completeP100HostedFlow,
  injectP100ProviderError,
  p100ControlRoutes,
  setP100UserState,
} from './p100-control';
import { p100Routes } from './p100-routes';
import { P100_SIMULATOR_API_KEY, P100_SIMULATOR_WEBHOOK_TOKEN } from './p100-settings';
import type { P100ProviderErrorRule, P100SimulatorOptions } from './p100-settings';
import { createP100Context, providerStatusOf } from './p100-state';
import { p100WebhookDeliverer } from './p100-webhooks';

/** A running P100 simulator: the common simulator controls plus P100's own provider errors. */
export interface P100Simulator extends ProviderSimulator {
  readonly provider: 'p100';
  /** Makes the next matching request(s) fail as P100 does when it is down: HTTP 400 with P501 (or P500). */
  injectProviderError(rule?: P100ProviderErrorRule): void;
}

/**
 * Starts a P100 simulator on loopback: P100's Partner API (users, KYC, files, status) with the
 * documented flows, shared-token webhooks and the control API.
 */
export async function startP100Simulator(options: P100SimulatorOptions = {}): Promise<P100Simulator> {
  const deliverer = p100WebhookDeliverer(options);
  const context = createP100Context(options, deliverer);
  const started: { simulator?: P100Simulator } = {};
  const current = (): P100Simulator => {
    if (!started.simulator) throw new Error('p100 simulator is not started');
    return started.simulator;
  };
  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes: p100Routes(context),
    controlRoutes: [
      ...controlRoutes(current),
      ...p100ControlRoutes((rule) => current().injectProviderError(rule)),
    ],
  });
  started.simulator = {
    provider: 'p100',
    baseUrl: server.baseUrl,
    adapterSettings: {
      apiKey: P100_SIMULATOR_API_KEY,
      baseUrl: server.baseUrl,
      webhookToken: P100_SIMULATOR_WEBHOOK_TOKEN,
    },
    environment: {
      KYC_PROVIDER: 'p100',
      P100_API_KEY: P100_SIMULATOR_API_KEY,
      P100_BASE_URL: server.baseUrl,
      P100_WEBHOOK_TOKEN: P100_SIMULATOR_WEBHOOK_TOKEN,
    },
    completeHostedFlow: (ref, outcome) => completeP100HostedFlow(context, ref, outcome),
    setUserState: (ref, state) => setP100UserState(context, ref, state),
    users: () =>
      [...context.users.values()].map((user) => ({
        ref: user.externalUserId,
        providerStatus: providerStatusOf(user),
        attempts: user.attempts,
      })),
    injectProviderError: (rule) => injectP100ProviderError(server, rule),
    ...simulatorPlumbing(server, deliverer, () => {
      context.users.clear();
      context.documentNumbers.clear();
    }),
  };
  return started.simulator;
}
