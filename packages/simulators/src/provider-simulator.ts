/**
 * What every provider simulator offers: a loopback HTTP server speaking the provider's wire format,
 * the adapter settings pointing at it, a control API (in-process and over HTTP under `/__control`)
 * and signed webhook delivery to the host's endpoint.
 */
import { parseFaultRule } from './simulator-faults';
import type { FaultRule } from './simulator-faults';
import type { RequestLogEntry, Route, SimulatorResponse, SimulatorServer } from './simulator-server';
import { isWebhookLayout } from './webhook-deliverer';
import type { WebhookDeliverer, WebhookDeliveryRecord, WebhookLayout } from './webhook-deliverer';

/** The providers a simulator exists for. */
export type SimulatedProviderId = 'plu' | 'p100' | 'plaid';

/** How the end user's hosted flow ends. */
export type SimulatedOutcome = 'approved' | 'denied';

/** Options every simulator takes: where it listens, where and how it sends webhooks. */
export interface SimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Where webhooks go; none are sent until it is set (here or with `setWebhookUrl`). */
  readonly webhookUrl?: string;
  /**
   * Delays before each re-delivery of a failed webhook. Defaults follow the provider's documented
   * schedule scaled down 1000x (so a 5-minute retry waits 300 ms); pass real values to reproduce it.
   */
  readonly webhookRetryDelaysMs?: ReadonlyArray<number>;
  /**
   * The byte layout of webhook bodies: `compact` (default), `indented`, or `alternate` (each
   * re-delivery of an event switches layout). The content and its meaning never change; a host
   * must verify the signature over the raw bytes and dedupe on the content, not the bytes.
   */
  readonly webhookLayout?: WebhookLayout;
}

/** A user as a simulator holds it, for tests and the control API. */
export interface SimulatedUser {
  /** The user's id at the simulated provider (the bare ref the adapter uses). */
  readonly ref: string;
  /** The provider's own status value(s), e.g. `pending_kyc`, `NOT_VERIFIED/PENDING`, `active`. */
  readonly providerStatus: string;
  /** Verification attempts started so far. */
  readonly attempts: number;
}

/**
 * A running provider simulator: a loopback server speaking the provider's wire format, the adapter
 * settings that point at it, and a control API to play the end user, inject faults and inspect
 * webhooks.
 */
export interface ProviderSimulator {
  /** The simulated provider. */
  readonly provider: SimulatedProviderId;
  /** Where the simulator listens, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** Adapter settings (object form) that point at this simulator: pass as `{ provider, [provider]: adapterSettings }`. */
  readonly adapterSettings: Readonly<Record<string, string | number>>;
  /** The same as environment variables, `KYC_PROVIDER` included. */
  readonly environment: Readonly<Record<string, string>>;
  /** Completes the user's current attempt as the end user (and the provider's review) would; sends the webhooks. */
  completeHostedFlow(ref: string, outcome?: SimulatedOutcome): Promise<void>;
  /** Moves a user to one of the provider's own states directly (no webhook unless the provider would send one). */
  setUserState(ref: string, state: string): Promise<void>;
  /** The users the simulator knows. */
  users(): ReadonlyArray<SimulatedUser>;
  /**
   * Makes the next matching requests (`rule.times`, default 1) fail as the rule says: an HTTP status,
   * a delay, a dropped connection, a lost answer, malformed JSON, ...
   */
  injectFault(rule: FaultRule): void;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Sets where webhooks go; `undefined` stops sending them. */
  setWebhookUrl(url: string | undefined): void;
  /** Changes the byte layout of the webhook attempts sent from now on (see `SimulatorOptions.webhookLayout`). */
  setWebhookLayout(layout: WebhookLayout): void;
  /**
   * Sends a recorded webhook again, as a provider that delivers at least once may (with the layout
   * in force: `alternate` switches the bytes). Resolves when its attempts are done; throws a
   * `SimulatorControlError` (404) for an unknown delivery id.
   */
  redeliverWebhook(id: number): Promise<WebhookDeliveryRecord>;
  /** Every webhook the simulator sent or is sending, with its attempts. */
  readonly webhookDeliveries: ReadonlyArray<WebhookDeliveryRecord>;
  /** Resolves when no webhook delivery (or re-delivery) is pending. */
  webhooksIdle(): Promise<void>;
  /** Provider requests answered so far (control requests excluded). */
  readonly requests: ReadonlyArray<RequestLogEntry>;
  /**
   * Forgets every user (and their attempts, ids and idempotency keys), injected fault, logged
   * request and recorded webhook delivery, as if freshly started; the port, credentials, options,
   * webhook URL and layout stay. For test suites that reuse one simulator.
   */
  reset(): void;
  /** Stops webhook delivery and the server; resolves when both are done. */
  close(): Promise<void>;
}

/**
 * The members of a `ProviderSimulator` that every simulator delegates to its server and webhook
 * deliverer (`simulatorPlumbing`).
 */
export type SimulatorPlumbing = Pick<
  ProviderSimulator,
  | 'injectFault'
  | 'clearFaults'
  | 'setWebhookUrl'
  | 'setWebhookLayout'
  | 'redeliverWebhook'
  | 'webhookDeliveries'
  | 'webhooksIdle'
  | 'requests'
  | 'reset'
  | 'close'
>;

/**
 * The members every simulator delegates to its server and webhook deliverer; `forgetState` empties
 * the simulator's own memory for `reset`.
 */
export function simulatorPlumbing(
  server: SimulatorServer,
  deliverer: WebhookDeliverer,
  forgetState: () => void = () => undefined,
): SimulatorPlumbing {
  return {
    injectFault: (rule) => server.injectFault(rule),
    clearFaults: () => server.clearFaults(),
    setWebhookUrl: (url) => deliverer.setUrl(url),
    setWebhookLayout: (layout) => deliverer.setLayout(layout),
    redeliverWebhook: async (id) => {
      const record = deliverer.redeliver(id);
      if (record === undefined) throw new SimulatorControlError(`no webhook delivery with id ${id}`, 404);
      await deliverer.idle();
      return record;
    },
    webhookDeliveries: deliverer.deliveries,
    webhooksIdle: () => deliverer.idle(),
    requests: server.requests,
    reset: () => {
      forgetState();
      server.clearFaults();
      server.clearRequests();
      deliverer.forget();
    },
    close: async () => {
      deliverer.close();
      await deliverer.idle();
      await server.close();
    },
  };
}

/** Thrown by control methods for an unknown user or state; the HTTP control API answers 404/400. */
export class SimulatorControlError extends Error {
  /** Makes the error; `status` is what the HTTP control API answers (400 or 404). */
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
    this.name = 'SimulatorControlError';
  }
}

const ok = (body: unknown = { ok: true }): SimulatorResponse => ({ status: 200, body });

async function guarded(action: () => Promise<SimulatorResponse>): Promise<SimulatorResponse> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SimulatorControlError)
      return { status: error.status, body: { error: error.message } };
    throw error;
  }
}

/**
 * The HTTP control API, the same for every simulator (for non-Node hosts and the standalone command):
 * - `POST /__control/users/{ref}/complete` `{ "outcome": "approved" | "denied" }`
 * - `POST /__control/users/{ref}/state` `{ "state": "<provider state>" }`
 * - `GET /__control/users`
 * - `POST /__control/faults` `{ "fault": { "type": "status", "status": 429, "retryAfterSeconds": 1 }, "method": "GET", "path": "/v1/...", "times": 1 }`
 * - `DELETE /__control/faults`
 * - `POST /__control/reset` (forgets users, faults, the request log and the delivery log)
 * - `PUT /__control/webhook-url` `{ "url": "http://127.0.0.1:3000/webhooks" }`
 * - `PUT /__control/webhook-layout` `{ "layout": "compact" | "indented" | "alternate" }`
 * - `GET /__control/webhooks` (delivery log)
 * - `POST /__control/webhooks/{id}/redeliver` (sends a recorded delivery again)
 */
export function controlRoutes(simulator: () => ProviderSimulator): ReadonlyArray<Route> {
  return [...userRoutes(simulator), ...faultRoutes(simulator), ...webhookRoutes(simulator)];
}

function userRoutes(simulator: () => ProviderSimulator): ReadonlyArray<Route> {
  return [
    {
      method: 'POST',
      pattern: '/users/{ref}/complete',
      handler: (request) =>
        guarded(async () => {
          const outcome = (request.body as { outcome?: unknown } | undefined)?.outcome;
          if (outcome !== undefined && outcome !== 'approved' && outcome !== 'denied') {
            return { status: 400, body: { error: 'outcome must be approved or denied' } };
          }
          await simulator().completeHostedFlow(request.params.ref as string, outcome);
          return ok();
        }),
    },
    {
      method: 'POST',
      pattern: '/users/{ref}/state',
      handler: (request) =>
        guarded(async () => {
          const state = (request.body as { state?: unknown } | undefined)?.state;
          if (typeof state !== 'string') return { status: 400, body: { error: 'state is required' } };
          await simulator().setUserState(request.params.ref as string, state);
          return ok();
        }),
    },
    { method: 'GET', pattern: '/users', handler: () => ok({ users: simulator().users() }) },
  ];
}

function faultRoutes(simulator: () => ProviderSimulator): ReadonlyArray<Route> {
  return [
    {
      method: 'POST',
      pattern: '/faults',
      handler: (request) => {
        const rule = parseFaultRule(request.body);
        if (!rule)
          return {
            status: 400,
            body: { error: 'expected { fault: { type, ... }, method?, path?, times? }' },
          };
        simulator().injectFault(rule);
        return ok();
      },
    },
    {
      method: 'DELETE',
      pattern: '/faults',
      handler: () => {
        simulator().clearFaults();
        return ok();
      },
    },
    {
      method: 'POST',
      pattern: '/reset',
      handler: () => {
        simulator().reset();
        return ok();
      },
    },
  ];
}

function webhookRoutes(simulator: () => ProviderSimulator): ReadonlyArray<Route> {
  return [
    {
      method: 'PUT',
      pattern: '/webhook-url',
      handler: (request) => {
        const url = (request.body as { url?: unknown } | undefined)?.url;
        if (url !== undefined && typeof url !== 'string')
          return { status: 400, body: { error: 'url must be a string' } };
        simulator().setWebhookUrl(url);
        return ok();
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks',
      handler: () =>
        ok({
          deliveries: simulator().webhookDeliveries.map((delivery) => ({
            id: delivery.id,
            attempts: delivery.attempts,
            delivered: delivery.delivered,
            abandoned: delivery.abandoned,
          })),
        }),
    },
    {
      method: 'PUT',
      pattern: '/webhook-layout',
      handler: (request) => {
        const layout = (request.body as { layout?: unknown } | undefined)?.layout;
        if (!isWebhookLayout(layout))
          return { status: 400, body: { error: 'layout must be compact, indented or alternate' } };
        simulator().setWebhookLayout(layout);
        return ok();
      },
    },
    {
      method: 'POST',
      pattern: '/webhooks/{id}/redeliver',
      handler: (request) =>
        guarded(async () => {
          const id = Number(request.params.id);
          const record = await simulator().redeliverWebhook(Number.isInteger(id) ? id : -1);
          return ok({ id: record.id, attempts: record.attempts, delivered: record.delivered });
        }),
    },
  ];
}
