/**
 * What tracking saves on Plu, which has no single-user read: on the Plu simulator with N users
 * (BENCH_PLU_USERS, default 20 000), the List Users requests (counted in the simulator's own request
 * log) and the time of
 * - a plain `getStatus` of the newest user: a scan of the whole list;
 * - a tracked `getStatus` of that user when the store's state is fresh: no request;
 * - a reconcile sweep of all N users through the adapter's bulk read (`getStatuses`), against the
 *   bound ceil(N / page size) + 1. Every tenth user was approved at Plu with no webhook, so the
 *   sweep has something to apply.
 * Parts the installed packages lack (the simulator's `seedUsers`, the adapter's `getStatuses`) are
 * reported as not measured; users are then created through the API instead of seeded.
 */
import * as E from 'fp-ts/Either';
import { formatUserRef } from '@kycport/core';
import type { CreateUserInput, KycProvider, UserRef } from '@kycport/core';
import { PLU_LIST_PAGE_SIZE, createPluProvider, pluKycState } from '@kycport/plu';
import type { PluConfig } from '@kycport/plu';
import { PLU_SIM_PATHS, startPluSimulator } from '@kycport/simulators';
import type { PluSimulator } from '@kycport/simulators';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';

export interface RequestCost {
  /** List Users requests the simulator answered. */
  readonly requests: number;
  readonly ms: number;
}

export interface SweepCost extends RequestCost {
  /** ceil(N / page size) + 1. */
  readonly bound: number;
  readonly claimed: number;
  readonly applied: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly bulkReads: number;
  /** Of `ms`, the time inside the adapter's bulk read (the List Users pages); the rest is the tracker and store. */
  readonly readMs: number;
}

export interface PluTrackingResult {
  readonly users: number;
  readonly seededWith: 'seedUsers' | 'the API';
  readonly seedMs: number;
  readonly pageSize: number;
  /** Absent: not measured; `notes` say why. */
  readonly plainScan?: RequestCost;
  readonly trackedFresh?: RequestCost & { readonly from: string };
  readonly sweep?: SweepCost;
  readonly notes: ReadonlyArray<string>;
}

const CREATE_CONCURRENCY = 64;

function applicant(index: number): CreateUserInput {
  const externalId = `bench-plu-${index}`;
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
    providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
  };
}

/** Runs `work(0 .. count - 1)`, `concurrency` at a time. */
export async function runPool(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const elapsedMs = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

async function seed(
  sim: PluSimulator,
  provider: KycProvider,
  users: number,
): Promise<'seedUsers' | 'the API'> {
  const seeding = (sim as unknown as { seedUsers?: (count: number) => unknown }).seedUsers;
  if (typeof seeding === 'function') {
    await seeding.call(sim, users);
    return 'seedUsers';
  }
  let failure: string | undefined;
  await runPool(users, CREATE_CONCURRENCY, async (index) => {
    const created = await provider.createUser(applicant(index))();
    if (E.isLeft(created)) failure ??= created.left.message;
  });
  if (failure !== undefined) throw new Error(`plu bench: creating users failed: ${failure}`);
  return 'the API';
}

/** The List Users requests answered while `run` ran, and its time. */
async function counted<A>(sim: PluSimulator, run: () => Promise<A>): Promise<RequestCost & { value: A }> {
  const before = sim.requests.length;
  const started = process.hrtime.bigint();
  const value = await run();
  const ms = elapsedMs(started);
  const requests = sim.requests
    .slice(before)
    .filter((entry) => entry.method === 'GET' && entry.path.startsWith(PLU_SIM_PATHS.listUsers)).length;
  return { requests, ms, value };
}

async function sweepAll(sim: PluSimulator, provider: KycProvider, pageSize: number): Promise<SweepCost> {
  const users = sim.users();
  const store = createMemoryKycStore();
  const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
  for (const user of users) {
    await store.apply({
      ref: formatUserRef('plu', user.ref),
      provider: 'plu',
      state: pluKycState(user.providerStatus, { retryCount: user.retryCount }),
      source: 'call',
      now: anHourAgo,
    });
  }
  // Decided at Plu with no webhook: the sweep is what catches these.
  for (const [index, user] of users.entries()) {
    if (index % 10 === 0) await sim.setUserState(user.ref, 'approved');
  }
  let readMs = 0;
  const bulk = provider.getStatuses;
  // The provider as the tracker sees it, its bulk read timed.
  const timed: KycProvider = Object.assign(Object.create(provider) as KycProvider, {
    getStatuses:
      (...args: Parameters<NonNullable<KycProvider['getStatuses']>>) =>
      async () => {
        const started = process.hrtime.bigint();
        const answer = await bulk!.apply(provider, args)();
        readMs += elapsedMs(started);
        return answer;
      },
  });
  const tracker = createKycTracker({ kyc: timed, store });
  const swept = await counted(sim, () => tracker.reconcile({ olderThanMs: 60_000, limit: users.length })());
  if (E.isLeft(swept.value)) throw new Error(`plu bench: reconcile failed: ${swept.value.left.message}`);
  const report = swept.value.right;
  return {
    requests: swept.requests,
    ms: swept.ms,
    bound: Math.ceil(users.length / pageSize) + 1,
    claimed: report.claimed,
    applied: report.applied,
    unchanged: report.unchanged,
    failed: report.failed,
    bulkReads: report.bulkReads,
    readMs,
  };
}

async function statusReads(sim: PluSimulator, provider: KycProvider, newest: UserRef) {
  const plain = await counted(sim, () => provider.getStatus(newest)());
  if (E.isLeft(plain.value)) throw new Error(`plu bench: getStatus failed: ${plain.value.left.message}`);
  const tracker = createKycTracker({ kyc: provider, store: createMemoryKycStore() });
  // The first tracked read asks Plu (a scan) and records the state; the next answers from the store.
  const first = await tracker.getStatus(newest, { maxAgeMs: 0 })();
  if (E.isLeft(first)) throw new Error(`plu bench: tracked getStatus failed: ${first.left.message}`);
  const fresh = await counted(sim, () => tracker.getStatus(newest, { maxAgeMs: 60_000 })());
  if (E.isLeft(fresh.value))
    throw new Error(`plu bench: tracked getStatus failed: ${fresh.value.left.message}`);
  return {
    plainScan: { requests: plain.requests, ms: plain.ms },
    trackedFresh: { requests: fresh.requests, ms: fresh.ms, from: fresh.value.right.from },
  };
}

export async function benchPluTracking(users: number): Promise<PluTrackingResult> {
  const sim = await startPluSimulator();
  const provider = createPluProvider({
    ...sim.adapterSettings,
    maxScanPages: Math.min(10_000, Math.ceil(users / PLU_LIST_PAGE_SIZE) + 10),
  } as PluConfig);
  try {
    const started = process.hrtime.bigint();
    const seededWith = await seed(sim, provider, users);
    const seedMs = elapsedMs(started);
    const listed = sim.users();
    const last = listed[listed.length - 1];
    if (last === undefined || listed.length !== users)
      throw new Error(`plu bench: ${listed.length} users at the simulator, expected ${users}`);
    const pageSize = provider.capabilities.bulkStatus?.pageSize ?? PLU_LIST_PAGE_SIZE;
    const reads = await statusReads(sim, provider, formatUserRef('plu', last.ref));
    const notes: string[] = [];
    if (provider.getStatuses === undefined)
      notes.push('reconcile sweep: n/a (this Plu adapter has no bulk read, getStatuses)');
    const sweep = provider.getStatuses === undefined ? undefined : await sweepAll(sim, provider, pageSize);
    return { users, seededWith, seedMs, pageSize, ...reads, ...(sweep ? { sweep } : {}), notes };
  } finally {
    provider.close();
    await sim.close();
  }
}
