/** Test support shared by the framework integrations' tests: simulators, providers, a failing store. */
import * as E from 'fp-ts/Either';
import { readUserRef } from '@kycport/core';
import type {
  CreateUserInput,
  KycAdapterDefinition,
  KycProviderWithWebhooks,
  KycStore,
  StateChange,
  UserRef,
} from '@kycport/core';
import { p100Adapter } from '@kycport/p100';
import { plaidAdapter } from '@kycport/plaid';
import { pluAdapter } from '@kycport/plu';
import { startP100Simulator, startPlaidSimulator, startPluSimulator } from '@kycport/simulators';
import type { ProviderSimulator, SimulatorOptions, WebhookLayout } from '@kycport/simulators';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';
import type { KycTracker } from '@kycport/tracker';

export function applicant(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Jane', family: 'Doe' },
      email: `${externalId}@example.com`,
      phone: '+14155555555',
      dateOfBirth: '1990-05-15',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      nationality: 'US',
      ipAddress: '203.0.113.42',
      termsAccepted: true,
    },
    providerOptions: {
      plu: { program: 'custodial', accountPurpose: 'personal use' },
      p100: {
        documentType: 'ID_CARD',
        incomeSource: 'SALARY',
        occupation: 'IT',
        additionalInfo: 'Software engineer',
        openAccountReason: 'DAILY_USE',
        country: 'US',
        birthCountry: 'US',
      },
    },
  };
}

/** One provider against its simulator, with the byte layout its webhooks are sent in. */
export interface Case {
  readonly id: 'plu' | 'p100' | 'plaid';
  readonly layout: WebhookLayout;
  readonly start: (options: SimulatorOptions) => Promise<ProviderSimulator>;
  readonly adapter: KycAdapterDefinition<unknown>;
}

export const CASES: ReadonlyArray<Case> = [
  {
    id: 'plu',
    layout: 'indented',
    start: startPluSimulator,
    adapter: pluAdapter as unknown as KycAdapterDefinition<unknown>,
  },
  {
    id: 'p100',
    layout: 'alternate',
    start: (options) => startP100Simulator({ ...options, requireDocumentData: false }),
    adapter: p100Adapter as unknown as KycAdapterDefinition<unknown>,
  },
  {
    id: 'plaid',
    layout: 'compact',
    start: startPlaidSimulator,
    adapter: plaidAdapter as unknown as KycAdapterDefinition<unknown>,
  },
];

export function providerFor(
  adapter: KycAdapterDefinition<unknown>,
  sim: ProviderSimulator,
): KycProviderWithWebhooks {
  const config = adapter.parseConfig(sim.adapterSettings);
  if (E.isLeft(config)) throw new Error(config.left.message);
  return adapter.create(config.right).provider as KycProviderWithWebhooks;
}

export const bare = (ref: UserRef): string => readUserRef(ref).id;

/** A store whose every call fails while `down` (the database went away); `applies` counts applies. */
export function faultyStore(inner: KycStore) {
  const control = { down: false, applies: 0 };
  const guard = <A>(call: () => Promise<A>): Promise<A> =>
    control.down ? Promise.reject(new Error('connection refused (db.internal:5432)')) : call();
  const store: KycStore = {
    get: (ref) => guard(() => inner.get(ref)),
    apply: (input) => guard(() => ((control.applies += 1), inner.apply(input))),
    markProcessed: (key, now) => guard(() => inner.markProcessed(key, now)),
    claimOutbox: (claim) => guard(() => inner.claimOutbox(claim)),
    completeOutbox: (id) => guard(() => inner.completeOutbox(id)),
    failOutbox: (id, at) => guard(() => inner.failOutbox(id, at)),
    claimStaleUsers: (claim) => guard(() => inner.claimStaleUsers(claim)),
  };
  return { store, control };
}

/** A tracker on a memory store that can go down, recording every change and every ingest call. */
export function trackedSetup(kyc: KycProviderWithWebhooks) {
  const { store, control } = faultyStore(createMemoryKycStore());
  const changes: StateChange[] = [];
  const tracker = createKycTracker({ kyc, store, onStateChange: (change) => void changes.push(change) });
  const calls = { ingest: 0 };
  const counted: Pick<KycTracker, 'ingestWebhook'> = {
    ingestWebhook: (request) => {
      calls.ingest++;
      return tracker.ingestWebhook(request);
    },
  };
  return { tracker, counted, store, control, changes, calls };
}

/** Polls until `check` holds (webhook deliveries are asynchronous). */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** POSTs bytes with headers; the status and the JSON answer. */
export async function post(
  url: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string | Uint8Array,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ['host', 'content-length', 'connection', 'transfer-encoding'].includes(name))
      continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const response = await fetch(url, { method: 'POST', headers: flat, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
