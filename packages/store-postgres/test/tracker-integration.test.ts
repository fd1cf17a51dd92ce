/**
 * Two `@kycport/tracker` instances (two pools, two stores) on one real PostgreSQL database, over
 * one provider (the fake from `@kycport/testing`, HMAC-signed webhooks with their own time and an
 * exact event id). Every webhook is delivered twice, once to each instance, shuffled and
 * concurrently: each event is taken once and answered duplicate once, each change is applied
 * exactly once (versions without gaps, one outbox row each), the final states are the newest, and
 * draining from both instances at once hands each change to `onStateChange` at least once,
 * identifiable by its change id, including the ones whose handler threw and were retried.
 */
import type { Pool } from 'pg';
import type { KycStatus, StateChange, UserRef, WebhookRequest } from '@kycport/core';
import { createFakeKycProvider } from '@kycport/testing';
import { createKycTracker } from '@kycport/tracker';
import type { IngestResult, KycTracker } from '@kycport/tracker';
import {
  createPostgresKycStore,
  describeOnServer,
  dropSchemas,
  freshSchema,
  fromPgPool,
  migrate,
  proxyTo,
  serverPool,
} from './support';

const USERS = 24;
/** Each user's webhooks, in the provider's order: a denial, a retry, an approval. */
const FLOW: ReadonlyArray<{ readonly status: KycStatus; readonly attempt: number }> = [
  { status: 'in_review', attempt: 1 },
  { status: 'denied', attempt: 1 },
  { status: 'in_review', attempt: 2 },
  { status: 'approved', attempt: 2 },
];

const applicant = (externalId: string) => ({
  applicant: {
    externalId,
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane@example.com',
    dateOfBirth: '1990-05-15',
    address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' as const },
    termsAccepted: true,
  },
});

/** Deterministic Fisher-Yates. */
function shuffled<T>(items: ReadonlyArray<T>, seed = 7): T[] {
  const out = [...items];
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

async function inParallel<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++)
      results[index] = await (tasks[index] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describeOnServer('two trackers on one PostgreSQL database', (url) => {
  const pools: Pool[] = [];
  const schema = freshSchema();
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropSchemas(url, [schema]);
  });

  it('every webhook twice, shuffled, concurrently: each change applied exactly once, delivered at least once', async () => {
    const kyc = createFakeKycProvider({ id: 'fake' });
    let now = Date.now();
    const clock = (): Date => new Date(now);
    const calls: Array<{ readonly by: 'a' | 'b'; readonly change: StateChange; readonly ok: boolean }> = [];
    let failuresLeft = 3;
    const instance = (by: 'a' | 'b'): KycTracker => {
      const pool = serverPool(url, 8);
      pools.push(pool);
      const store = createPostgresKycStore({ client: fromPgPool(pool), schema });
      return createKycTracker({
        kyc,
        store,
        now: clock,
        outbox: { drainAfterApply: false, leaseMs: 60_000, batchSize: 10, backoff: { initialMs: 1_000 } },
        onStateChange: async (change) => {
          const ok = !(by === 'a' && failuresLeft > 0);
          calls.push({ by, change, ok });
          if (!ok) {
            failuresLeft -= 1;
            throw new Error('host handler failed');
          }
        },
      });
    };
    const sharedPool = serverPool(url, 1);
    pools.push(sharedPool);
    await migrate(fromPgPool(sharedPool), { schema });
    const a = instance('a');
    const b = instance('b');

    const refs: UserRef[] = [];
    for (let user = 0; user < USERS; user += 1) {
      const created = await a.createUser(applicant(`host-${user}`))();
      if (created._tag === 'Left') throw new Error(created.left.message);
      refs.push(created.right.userRef);
    }
    const events = refs.flatMap((ref) =>
      FLOW.map((step, index) => ({
        ref,
        eventId: `${ref}#${index}`,
        request: kyc.control.signWebhook({
          event: 'fake.kyc-status',
          eventId: `${ref}#${index}`,
          occurredAt: new Date(now + (index + 1) * 1_000).toISOString(),
          data: { ref, status: step.status, attempt: step.attempt, reasonCodes: [] },
        }) as WebhookRequest,
      })),
    );
    const deliveries = shuffled(
      events.flatMap((event) => [
        { event, to: a },
        { event, to: b },
      ]),
    );
    now += 10_000;
    const results: IngestResult[] = await inParallel(
      deliveries.map(
        ({ event, to }) =>
          () =>
            to.ingestWebhook(event.request)(),
      ),
      16,
    );

    // Every delivery answered 200; per event one took it, one was a duplicate.
    expect(results.filter((result) => result.httpStatus !== 200)).toEqual([]);
    const byEvent = new Map<string, string[]>();
    deliveries.forEach(({ event }, index) => {
      byEvent.set(event.eventId, [...(byEvent.get(event.eventId) ?? []), results[index]?.outcome ?? 'none']);
    });
    for (const outcomes of byEvent.values()) expect([...outcomes].sort()).toEqual(['accepted', 'duplicate']);

    // Final states are the newest event's; versions 1..n with one outbox row each (1: createUser).
    const direct = sharedPool;
    for (const ref of refs) {
      const tracked = await b.store.get(ref);
      expect(tracked?.state).toMatchObject({ status: 'approved', attempt: 2 });
      const { rows } = await direct.query(
        `SELECT version FROM "${schema}".kyc_outbox WHERE ref = $1 ORDER BY version`,
        [ref],
      );
      expect(rows.map((row: { version: number }) => row.version)).toEqual(
        Array.from({ length: tracked?.version ?? 0 }, (_, index) => index + 1),
      );
    }
    const appliedChanges = results.flatMap((result) =>
      result.outcome === 'accepted' && result.change !== undefined ? [result.change.changeId] : [],
    );
    expect(new Set(appliedChanges).size).toBe(appliedChanges.length);

    // Both instances drain at once; the failed handler calls come back after the backoff.
    const drainBoth = async (): Promise<void> => {
      for (;;) {
        const reports = await Promise.all([a.drainOutbox()(), b.drainOutbox()()]);
        const claimed = reports.reduce(
          (sum, report) => sum + (report._tag === 'Right' ? report.right.claimed : 0),
          0,
        );
        if (reports.some((report) => report._tag === 'Left')) throw new Error('drain failed');
        if (claimed === 0) return;
      }
    };
    await drainBoth();
    now += 120_000;
    await drainBoth();
    const { rows: outbox } = await direct.query(`SELECT change_id, done FROM "${schema}".kyc_outbox`);
    expect(outbox.every((row: { done: boolean }) => row.done)).toBe(true);
    const delivered = calls.filter((call) => call.ok).map((call) => call.change.changeId);
    expect([...delivered].sort()).toEqual(outbox.map((row: { change_id: string }) => row.change_id).sort());
    expect(calls.filter((call) => !call.ok)).toHaveLength(3);
    for (const failed of calls.filter((call) => !call.ok))
      expect(delivered).toContain(failed.change.changeId);
    expect(calls.some((call) => call.by === 'a') && calls.some((call) => call.by === 'b')).toBe(true);
  }, 60_000);

  it('the database going away mid-run: ingest answers retry-later (503), never 200 for what it did not commit', async () => {
    const kyc = createFakeKycProvider({ id: 'fake' });
    const proxy = await proxyTo(url);
    const flaky = serverPool(proxy.url, 8);
    const healthy = serverPool(url, 8);
    pools.push(flaky, healthy);
    const lost = freshSchema();
    await migrate(fromPgPool(healthy), { schema: lost });
    const failing = createKycTracker({
      kyc,
      store: createPostgresKycStore({ client: fromPgPool(flaky), schema: lost }),
    });
    const standby = createKycTracker({
      kyc,
      store: createPostgresKycStore({ client: fromPgPool(healthy), schema: lost }),
    });
    const events = Array.from({ length: 120 }, (_, index) => ({
      ref: `fake:gone-${index}` as UserRef,
      request: kyc.control.signWebhook({
        event: 'fake.kyc-status',
        eventId: `gone-${index}`,
        occurredAt: new Date(Date.now() - 1_000).toISOString(),
        data: { ref: `fake:gone-${index}`, status: 'approved', attempt: 1, reasonCodes: [] },
      }) as WebhookRequest,
    }));
    let answered = 0;
    let cutting: Promise<void> | undefined;
    const results = await inParallel(
      events.map((event) => async () => {
        const result = await failing.ingestWebhook(event.request)();
        answered += 1;
        if (answered === 30) cutting = proxy.cut();
        return result;
      }),
      8,
    );
    await cutting;
    expect(results.every((result) => result.httpStatus === 200 || result.httpStatus === 503)).toBe(true);
    expect(results.filter((result) => result.httpStatus === 503).length).toBeGreaterThan(0);
    for (const [index, result] of results.entries()) {
      const stored = await standby.store.get(events[index]?.ref as UserRef);
      // A 200 was committed; a 503 may or may not have been (the answer to COMMIT can be the part lost).
      if (result.httpStatus === 200) expect(stored?.state.status).toBe('approved');
    }
    // The provider re-delivers what got 503 (to the instance that still reaches the database).
    const redelivered = await inParallel(
      events.flatMap((event, index) =>
        results[index]?.httpStatus === 503 ? [() => standby.ingestWebhook(event.request)()] : [],
      ),
      8,
    );
    expect(redelivered.every((result) => result.httpStatus === 200)).toBe(true);
    const { rows } = await healthy.query(
      `SELECT count(*)::int AS states, (SELECT count(*)::int FROM "${lost}".kyc_outbox) AS changes FROM "${lost}".kyc_tracked_states`,
    );
    expect(rows).toEqual([{ states: events.length, changes: events.length }]);
    await dropSchemas(url, [lost]);
  }, 60_000);
});
