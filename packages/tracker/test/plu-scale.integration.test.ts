/**
 * Issue 14's scale proof on the Plu simulator (loopback): 20 000 users, tracked by a tracker on the
 * memory store. Plu has no single-user read, so a `getStatus` per user pages the user list; the
 * tracker answers a fresh user from the store (0 provider requests, by the simulator's own request
 * log), and a `reconcile` sweep of all 20 000 reads the list once through the adapter's bulk read
 * (`getStatuses`): at most ceil(20 000 / page size) + 1 List Users requests, bringing every user
 * whose state changed at Plu (with no webhook sent) to the right state. `KYCPORT_SCALE_REPORT=1`
 * prints the sweep's request count and time.
 */
import * as E from 'fp-ts/Either';
import { readUserRef } from '@kycport/core';
import type { KycStatus, UserRef } from '@kycport/core';
import { pluAdapter } from '@kycport/plu';
import type { PluProvider } from '@kycport/plu';
import { startPluSimulator } from '@kycport/simulators';
import type { PluSimulator } from '@kycport/simulators';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';
import type { KycTracker, MemoryKycStore } from '@kycport/tracker';
import { right } from './support';

const USERS = 20_000;
const LIST_PATH = '/api/v1/partner/card/users';
const START = Date.parse('2026-05-01T10:00:00.000Z');

/** What happens at Plu to every `CHANGE_EVERY`-th user (by position), and the status it maps to. */
const CHANGE_EVERY = 7;
const CHANGES: ReadonlyArray<{
  readonly play: (sim: PluSimulator, serviceId: string) => Promise<void>;
  readonly status: KycStatus;
}> = [
  { play: (sim, id) => sim.completeHostedFlow(id, 'approved'), status: 'approved' },
  { play: (sim, id) => sim.completeHostedFlow(id, 'denied'), status: 'denied' },
  { play: (sim, id) => sim.setUserState(id, 'needsVerification'), status: 'action_required' },
  { play: (sim, id) => sim.setUserState(id, 'persona_failed'), status: 'denied' },
];

let sim: PluSimulator;
let kyc: PluProvider;
let store: MemoryKycStore;
let tracker: KycTracker<PluProvider>;
let clock = START;
let serviceIds: ReadonlyArray<string> = [];
/** The refs the adapter handed out, by position in Plu's list. */
let refs: ReadonlyArray<UserRef> = [];

const now = (): string => new Date(clock).toISOString();
const listRequests = (): number =>
  sim.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith(LIST_PATH)).length;

beforeAll(async () => {
  // No webhook URL: the changes below are recorded by the simulator and never reach the tracker.
  sim = await startPluSimulator({ now: () => clock });
  serviceIds = await sim.seedUsers(USERS);
  // 200 pages of 100 users: above the default cap of 100 pages, as a partner this size must set.
  const config = pluAdapter.parseConfig({ ...sim.adapterSettings, maxScanPages: 250 });
  if (E.isLeft(config)) throw new Error(config.left.message);
  kyc = pluAdapter.createProvider(config.right);
  store = createMemoryKycStore();
  tracker = createKycTracker({ kyc, store, now: () => new Date(clock) });
  // Start tracking every user: one bulk read, each state recorded as a read.
  const read = right(await kyc.getStatuses(serviceIds as UserRef[])());
  const tracked: UserRef[] = [];
  for (const entry of read) {
    if (!('result' in entry)) throw new Error(`${entry.ref}: ${entry.error.kind}`);
    const { userRef, provider, state } = entry.result;
    const outcome = await store.apply({ ref: userRef, provider, state, source: 'read', now: now() });
    if (outcome.kind !== 'applied') throw new Error(`${userRef}: ${outcome.kind}`);
    tracked.push(userRef);
  }
  refs = tracked;
}, 30_000);

afterAll(async () => {
  kyc?.close();
  await sim?.close();
});

describe(`tracker over the Plu simulator with ${USERS} users`, () => {
  it('tracks all of them from one bulk read of ceil(users / page size) list requests', () => {
    const pageSize = kyc.capabilities.bulkStatus?.pageSize ?? 0;
    expect(pageSize).toBe(100);
    expect(store.size().users).toBe(USERS);
    expect(refs.map((ref) => readUserRef(ref).id)).toEqual(serviceIds);
    expect(listRequests()).toBe(Math.ceil(USERS / pageSize));
  });

  it('getStatus with maxAgeMs on a tracked, fresh user costs 0 provider requests', async () => {
    clock += 5_000;
    const before = sim.requests.length;
    // The newest user (a scan would read all 200 pages), the oldest, and one in between.
    for (const ref of [refs[USERS - 1], refs[0], refs[USERS / 2]] as UserRef[]) {
      const status = right(await tracker.getStatus(ref, { maxAgeMs: 60_000 })());
      expect(status).toMatchObject({ from: 'store', userRef: ref, state: { status: 'pending' } });
    }
    expect(sim.requests.length).toBe(before);
  });

  it('a reconcile sweep of all of them costs at most ceil(users / page size) + 1 list requests', async () => {
    const expected = new Map<UserRef, KycStatus>(refs.map((ref) => [ref, 'pending']));
    for (let position = 0; position < USERS; position += CHANGE_EVERY) {
      const change = CHANGES[(position / CHANGE_EVERY) % CHANGES.length]!;
      await change.play(sim, serviceIds[position]!);
      expected.set(refs[position]!, change.status);
    }
    const changed = Math.ceil(USERS / CHANGE_EVERY);
    clock += 10 * 60_000;
    const pageSize = kyc.capabilities.bulkStatus?.pageSize ?? 1;
    const before = listRequests();
    const started = Date.now();
    const report = right(await tracker.reconcile({ olderThanMs: 1_000, limit: USERS })());
    const sweepMs = Date.now() - started;
    const sweepRequests = listRequests() - before;

    expect(sweepRequests).toBeLessThanOrEqual(Math.ceil(USERS / pageSize) + 1);
    expect(report).toEqual({
      claimed: USERS,
      applied: changed,
      unchanged: USERS - changed,
      conflicts: 0,
      failed: 0,
      bulkReads: 1,
      singleReads: 0,
    });
    const wrong: string[] = [];
    for (const [ref, status] of expected) {
      const stored = await store.get(ref);
      if (stored?.state.status !== status) wrong.push(`${ref}: ${stored?.state.status} != ${status}`);
    }
    expect(wrong).toEqual([]);
    // Plu announced each change, but no webhook URL was set: only the sweep told the tracker.
    expect(sim.webhookDeliveries.length).toBe(changed);
    if (process.env.KYCPORT_SCALE_REPORT)
      console.log(`plu scale: sweep of ${USERS}: ${sweepRequests} list requests, ${sweepMs} ms`);
    // The sweep takes about 2.5 s on a slow 2-core machine; the margin covers CI.
  }, 30_000);
});
