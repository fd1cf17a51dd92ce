/**
 * Proofs against the three provider simulators (loopback): every webhook delivered twice and out of
 * order, a crash inside the store's transaction, the store going away, webhooks switched off, and
 * fresh reads that cost no provider request (the simulator's own request log says so).
 * Plu's events carry their state and a time (ordered); P100's and Plaid's are resolved by a read.
 */
import * as E from 'fp-ts/Either';
import { readUserRef } from '@kycport/core';
import type {
  CreateUserInput,
  KycAdapterDefinition,
  KycProviderWithWebhooks,
  StateChange,
  UserRef,
} from '@kycport/core';
import { p100Adapter } from '@kycport/p100';
import { plaidAdapter } from '@kycport/plaid';
import { pluAdapter } from '@kycport/plu';
import {
  startP100Simulator,
  startPlaidSimulator,
  startPluSimulator,
  startWebhookRecorder,
} from '@kycport/simulators';
import type {
  ProviderSimulator,
  ReceivedWebhook,
  SimulatorOptions,
  WebhookRecorder,
} from '@kycport/simulators';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';
import type { IngestResult, KycTracker } from '@kycport/tracker';
import { faultyStore, recordingHandler, right, shuffled } from './support';

function applicant(externalId: string): CreateUserInput {
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

interface Case {
  readonly id: 'plu' | 'p100' | 'plaid';
  readonly start: (options: SimulatorOptions) => Promise<ProviderSimulator>;
  readonly adapter: KycAdapterDefinition<unknown>;
  /** Whether the events are applied in their own order (Plu) rather than resolved by a read. */
  readonly ordered: boolean;
}

const CASES: ReadonlyArray<Case> = [
  {
    id: 'plu',
    start: startPluSimulator,
    adapter: pluAdapter as unknown as KycAdapterDefinition<unknown>,
    ordered: true,
  },
  {
    id: 'p100',
    start: (options) => startP100Simulator({ ...options, requireDocumentData: false }),
    adapter: p100Adapter as unknown as KycAdapterDefinition<unknown>,
    ordered: false,
  },
  {
    id: 'plaid',
    start: startPlaidSimulator,
    adapter: plaidAdapter as unknown as KycAdapterDefinition<unknown>,
    ordered: false,
  },
];

const bare = (ref: UserRef): string => readUserRef(ref).id;
let counter = 0;

describe.each(CASES)('tracker on the $id simulator', ({ id, start, adapter, ordered }) => {
  let sim: ProviderSimulator;
  let recorder: WebhookRecorder;
  let kyc: KycProviderWithWebhooks;

  beforeAll(async () => {
    recorder = await startWebhookRecorder(`/webhooks/${id}`);
    sim = await start({ webhookUrl: recorder.url, webhookRetryDelaysMs: [20, 20, 20, 20, 20] });
    const config = adapter.parseConfig(sim.adapterSettings);
    if (E.isLeft(config)) throw new Error(config.left.message);
    kyc = adapter.create(config.right).provider as KycProviderWithWebhooks;
  });
  afterEach(async () => {
    await sim.webhooksIdle();
    sim.setWebhookUrl(recorder.url);
    recorder.respond = () => 200;
    recorder.received.length = 0;
  });
  afterAll(async () => {
    kyc?.close();
    await sim?.close();
    await recorder?.close();
  });

  function tracked(options: { crashFirstApply?: boolean } = {}) {
    const memory = createMemoryKycStore();
    const faulty = faultyStore(memory);
    faulty.control.crashNextApply = options.crashFirstApply ?? false;
    const changes = recordingHandler();
    const tracker = createKycTracker({
      kyc,
      store: faulty.store,
      onStateChange: changes.handler,
      outbox: { drainAfterApply: false, backoff: { initialMs: 1, maxMs: 1 } },
    });
    return { memory, faulty, changes, tracker };
  }

  async function onboard(tracker: KycTracker, count: number): Promise<UserRef[]> {
    const refs: UserRef[] = [];
    for (let index = 0; index < count; index++) {
      refs.push(right(await tracker.createUser(applicant(`trk-${id}-${(counter += 1)}`))()).userRef);
    }
    return refs;
  }

  /** Users 0, 1 approved; user 2 denied, retried, approved; user 3 denied. */
  async function playFlows(tracker: KycTracker, refs: ReadonlyArray<UserRef>): Promise<void> {
    await sim.completeHostedFlow(bare(refs[0]!), 'approved');
    await sim.completeHostedFlow(bare(refs[1]!), 'approved');
    await sim.completeHostedFlow(bare(refs[2]!), 'denied');
    await sim.completeHostedFlow(bare(refs[3]!), 'denied');
    await sim.webhooksIdle();
    right(await tracker.retry(refs[2]!, { providerOptions: applicant('retry').providerOptions })());
    await sim.completeHostedFlow(bare(refs[2]!), 'approved');
    await sim.webhooksIdle();
  }

  async function expectTruth(memory: ReturnType<typeof createMemoryKycStore>, refs: ReadonlyArray<UserRef>) {
    for (const ref of refs) {
      const truth = right(await kyc.getStatus(ref)());
      expect((await memory.get(ref))?.state.status).toBe(truth.state.status);
    }
  }

  it('every webhook delivered twice and out of order: each change applied once, final states right', async () => {
    const { memory, changes, tracker } = tracked();
    const refs = await onboard(tracker, 4);
    await playFlows(tracker, refs);
    const deliveries: ReceivedWebhook[] = [...recorder.received];
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    const results: IngestResult[] = [];
    for (const delivery of shuffled([...deliveries, ...deliveries], 7 + counter)) {
      results.push(await tracker.ingestWebhook({ provider: id, ...delivery })());
    }
    expect(results.filter((result) => result.httpStatus !== 200)).toEqual([]);
    if (ordered)
      expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(deliveries.length);
    await expectTruth(memory, refs);
    const finals = await Promise.all(refs.map(async (ref) => (await memory.get(ref))?.state.status));
    expect(finals).toEqual(['approved', 'approved', 'approved', 'denied']);
    // At least once: the first delivery of every third change throws; the drain hands it out again.
    changes.control.failuresLeft = 3;
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      right(await tracker.drainOutbox()());
    }
    const applied = results.flatMap((result) =>
      result.outcome === 'accepted' && result.change ? [result.change] : [],
    );
    expectOnceEach(changes.calls, applied, refs);
  });

  it('a crash inside the store transaction, then the store gone: answered 503, re-deliveries processed', async () => {
    const { memory, faulty, tracker } = tracked({ crashFirstApply: false });
    const refs = await onboard(tracker, 4);
    const answered: number[] = [];
    recorder.respond = async (delivery) => {
      const result = await tracker.ingestWebhook({ provider: id, ...delivery })();
      answered.push(result.httpStatus);
      return result.httpStatus;
    };
    faulty.control.crashNextApply = true;
    await sim.completeHostedFlow(bare(refs[0]!), 'approved');
    await sim.webhooksIdle();
    expect(answered[0]).toBe(503);
    faulty.control.down = true;
    const before = answered.length;
    await sim.completeHostedFlow(bare(refs[1]!), 'denied');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answered.slice(before).every((status) => status === 503)).toBe(true);
    faulty.control.down = false;
    await sim.webhooksIdle();
    expect((await memory.get(refs[0]!))?.state.status).toBe('approved');
    expect((await memory.get(refs[1]!))?.state.status).toBe('denied');
  });

  it('webhooks switched off: reconcile brings every user to the right state', async () => {
    sim.setWebhookUrl(undefined);
    const { memory, tracker } = tracked();
    const refs = await onboard(tracker, 4);
    await playFlows(tracker, refs);
    expect(recorder.received).toHaveLength(0);
    const report = right(await tracker.reconcile({ olderThanMs: 0, limit: 100 })());
    expect(report.failed).toBe(0);
    await expectTruth(memory, refs);
  });

  it('getStatus while fresh costs 0 provider requests; a stale one reads once', async () => {
    const { tracker } = tracked();
    const [ref] = await onboard(tracker, 1);
    const before = sim.requests.length;
    const fresh = right(await tracker.getStatus(ref!, { maxAgeMs: 60_000 })());
    expect(fresh.from).toBe('store');
    expect(sim.requests.length).toBe(before);
    const read = right(await tracker.getStatus(ref!, { maxAgeMs: 0 })());
    expect(read.from).toBe('provider');
    expect(sim.requests.length).toBeGreaterThan(before);
  });
});

/** Every applied change reached the handler at least once, by its id; nothing else did; no change twice applied. */
function expectOnceEach(
  delivered: ReadonlyArray<StateChange>,
  applied: ReadonlyArray<StateChange>,
  refs: ReadonlyArray<UserRef>,
): void {
  const deliveredIds = new Set(delivered.map((change) => change.changeId));
  for (const change of applied) expect(deliveredIds.has(change.changeId)).toBe(true);
  expect(delivered.length).toBeGreaterThan(deliveredIds.size);
  for (const ref of refs) {
    const versions = [
      ...new Map(delivered.filter((c) => c.ref === ref).map((c) => [c.changeId, c.version])).values(),
    ];
    expect(versions.sort((a, b) => a - b)).toEqual(versions.map((_, index) => index + 1));
  }
}
