/**
 * The PostgreSQL store on a real server (KYCPORT_TEST_DATABASE_URL; `.ci/run` starts one): what
 * needs concurrency. Two store instances on two pools share one database: `migrate()` at once,
 * claims of the outbox and of reconcile sweeps never hand the same item to both, concurrent applies
 * of one ref serialize (the version rises by exactly one per applied change), and the database
 * going away mid-run makes `apply` reject with nothing half-written.
 */
import type { Pool } from 'pg';
import type { ApplyOutcome, KycStore, UserRef } from '@kycport/core';
import { loadMigrations } from '@kycport/store-postgres';
import type { SqlClient } from '@kycport/store-postgres';
import {
  at,
  createPostgresKycStore,
  describeOnServer,
  dropSchemas,
  freshSchema,
  fromPgPool,
  input,
  migrate,
  proxyTo,
  serverPool,
  state,
} from './support';

/** Runs `tasks` with at most `limit` in flight; settles them all. */
async function settleAll<T>(
  tasks: ReadonlyArray<() => Promise<T>>,
  limit: number,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task === undefined) continue;
      results[index] = await task().then(
        (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function fulfilled<T>(results: ReadonlyArray<PromiseSettledResult<T>>): T[] {
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

describeOnServer('createPostgresKycStore on a real PostgreSQL server', (url) => {
  const pools: Pool[] = [];
  const schemas: string[] = [];
  const pool = (max = 10): Pool => {
    const created = serverPool(url, max);
    pools.push(created);
    return created;
  };
  const clientA = (): SqlClient => fromPgPool(pool());
  let schema: string;
  let a: KycStore;
  let b: KycStore;

  beforeEach(async () => {
    schema = freshSchema();
    schemas.push(schema);
    const [first, second] = [clientA(), clientA()];
    await migrate(first, { schema });
    a = createPostgresKycStore({ client: first, schema });
    b = createPostgresKycStore({ client: second, schema });
  });

  afterAll(async () => {
    await Promise.all(pools.splice(0).map((each) => each.end()));
    await dropSchemas(url, schemas);
  });

  it('migrate() run by four pools at once applies each migration exactly once', async () => {
    const target = freshSchema();
    schemas.push(target);
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(clientA(), { schema: target })));
    const names = loadMigrations().map((migration) => migration.name);
    expect(results.map((result) => result.applied).sort((x, y) => y.length - x.length)).toEqual([
      names,
      [],
      [],
      [],
    ]);
    const { rows } = await pool(1).query(`SELECT name FROM "${target}".kyc_migrations ORDER BY name`);
    expect(rows.map((row: { name: string }) => row.name)).toEqual(names);
  });

  it('two instances draining the outbox at once never claim the same change; a lapsed lease hands it out again', async () => {
    const refs = Array.from({ length: 240 }, (_, index) => `plu:outbox-${index}`);
    const applied = fulfilled(
      await settleAll(
        refs.map((ref) => () => a.apply(input(ref))),
        16,
      ),
    );
    expect(applied.every((outcome) => outcome.kind === 'applied')).toBe(true);
    const claimedBy = async (store: KycStore): Promise<string[]> => {
      const ids: string[] = [];
      for (;;) {
        const batch = await store.claimOutbox({ limit: 7, leaseMs: 60_000, now: at(1_000) });
        if (batch.length === 0) return ids;
        ids.push(...batch.map((change) => change.changeId));
      }
    };
    // One batch each first (deterministic), then both at once: the split of the rest is scheduling.
    const claimOnce = async (store: KycStore): Promise<string[]> =>
      (await store.claimOutbox({ limit: 7, leaseMs: 60_000, now: at(1_000) })).map(
        (change) => change.changeId,
      );
    const first = { a: await claimOnce(a), b: await claimOnce(b) };
    expect([first.a.length, first.b.length]).toEqual([7, 7]);
    const [restA, restB] = await Promise.all([claimedBy(a), claimedBy(b)]);
    const byA = [...first.a, ...restA];
    const byB = [...first.b, ...restB];
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect(new Set([...byA, ...byB]).size).toBe(refs.length);
    expect(byA.length + byB.length).toBe(refs.length);
    // Leased: nothing due until the lease lapses; then every change again (never completed).
    expect(await b.claimOutbox({ limit: 500, leaseMs: 1_000, now: at(30_000) })).toEqual([]);
    const again = await b.claimOutbox({ limit: 500, leaseMs: 1_000, now: at(61_001) });
    expect(again).toHaveLength(refs.length);
    expect(again.every((change) => change.attempts === 1)).toBe(true);
  });

  it('two instances sweeping at once never claim the same user', async () => {
    const refs = Array.from({ length: 200 }, (_, index) => `plu:sweep-${index}`);
    fulfilled(
      await settleAll(
        refs.map((ref) => () => a.apply(input(ref, { state: state('in_review') }))),
        16,
      ),
    );
    await a.apply(input('plu:sweep-final', { state: state('approved') }));
    const sweptOnce = async (store: KycStore): Promise<string[]> =>
      (
        await store.claimStaleUsers({ olderThanMs: 60_000, limit: 9, leaseMs: 300_000, now: at(120_000) })
      ).map((tracked) => tracked.ref);
    const sweptBy = async (store: KycStore): Promise<string[]> => {
      const swept: string[] = [];
      for (;;) {
        const batch = await store.claimStaleUsers({
          olderThanMs: 60_000,
          limit: 9,
          leaseMs: 300_000,
          now: at(120_000),
        });
        if (batch.length === 0) return swept;
        swept.push(...batch.map((tracked) => tracked.ref));
      }
    };
    // One batch each first (both non-empty, disjoint, whatever the scheduling), then both sweep
    // at once; which instance claims how many of the rest depends on scheduling, never asserted.
    const first = { a: await sweptOnce(a), b: await sweptOnce(b) };
    expect([first.a.length, first.b.length]).toEqual([9, 9]);
    const [restA, restB] = await Promise.all([sweptBy(a), sweptBy(b)]);
    const byA = [...first.a, ...restA];
    const byB = [...first.b, ...restB];
    expect(byA.filter((ref) => byB.includes(ref))).toEqual([]);
    expect([...byA, ...byB].sort()).toEqual([...refs].sort());
  });

  it('concurrent applies of one ref from two instances serialize: versions 1..n, one outbox row each', async () => {
    const ref = 'plu:busy' as UserRef;
    const tasks = Array.from(
      { length: 80 },
      (_, index) => () =>
        (index % 2 === 0 ? a : b).apply(
          input(ref, { state: state('pending', `s-${index}`), source: 'read', now: at(index) }),
        ),
    );
    const outcomes = fulfilled(await settleAll(tasks, 20));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(tasks.map(() => 'applied'));
    const versions = outcomes.map((outcome) => (outcome.kind === 'applied' ? outcome.change.version : 0));
    expect([...versions].sort((x, y) => x - y)).toEqual(tasks.map((_, index) => index + 1));
    expect((await b.get(ref))?.version).toBe(tasks.length);
    const { rows } = await pool(1).query(
      `SELECT version, previous_status FROM "${schema}".kyc_outbox WHERE ref = $1 ORDER BY version`,
      [ref],
    );
    expect(rows.map((row: { version: number }) => row.version)).toEqual(versions.sort((x, y) => x - y));
  });

  it('one webhook delivered twenty times at once to two instances is applied once', async () => {
    const delivery = input('plu:twice', {
      state: state('approved'),
      dedupeKey: 'evt-1',
      ordered: true,
      providerTime: at(5),
    });
    const outcomes = fulfilled(
      await settleAll(
        Array.from({ length: 20 }, (_, index) => () => (index % 2 === 0 ? a : b).apply(delivery)),
        20,
      ),
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'duplicate')).toHaveLength(19);
  });

  it('ordered events delivered twice, shuffled, concurrently: the newest wins, no version is skipped', async () => {
    const ref = 'plu:ordered' as UserRef;
    const flow = ['pending', 'action_required', 'in_review', 'approved'] as const;
    const events = flow.map((status, index) =>
      input(ref, {
        state: state(status),
        ordered: true,
        providerTime: at(index * 10),
        dedupeKey: `o-${index}`,
      }),
    );
    const deliveries = [...events, ...events].sort(() => Math.random() - 0.5);
    const outcomes = fulfilled(
      await settleAll(
        deliveries.map((event, index) => () => (index % 2 ? a : b).apply(event)),
        8,
      ),
    );
    const applied = outcomes.filter(
      (outcome): outcome is Extract<ApplyOutcome, { kind: 'applied' }> => outcome.kind === 'applied',
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'duplicate')).toHaveLength(events.length);
    expect((await a.get(ref))?.state.status).toBe('approved');
    expect(applied.map((outcome) => outcome.change.version).sort()).toEqual(
      applied.map((_, index) => index + 1),
    );
  });
});

describeOnServer('the database going away mid-run', (url) => {
  const schemas: string[] = [];
  afterAll(async () => {
    await dropSchemas(url, schemas);
  });

  it('in-flight and later applies reject; each delivery is all written or not at all', async () => {
    const schema = freshSchema();
    schemas.push(schema);
    const proxy = await proxyTo(url);
    const viaProxy = serverPool(proxy.url, 8);
    const client = fromPgPool(viaProxy);
    await migrate(client, { schema });
    const store = createPostgresKycStore({ client, schema });
    let resolved = 0;
    const cutAfter = 40;
    let cutting: Promise<void> | undefined;
    const tasks = Array.from({ length: 200 }, (_, index) => async () => {
      const outcome = await store.apply(
        input(`plu:gone-${index}`, {
          state: state('approved'),
          dedupeKey: `gone-${index}`,
          ordered: true,
          providerTime: at(1),
        }),
      );
      resolved += 1;
      if (resolved === cutAfter) cutting = proxy.cut();
      return outcome;
    });
    const results = await settleAll(tasks, 8);
    await cutting;
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(cutAfter);
    await expect(store.apply(input('plu:after-cut'))).rejects.toThrow();
    await viaProxy.end().catch(() => undefined);

    const direct = serverPool(url, 1);
    try {
      const count = async (table: string, column: string, like: string): Promise<Set<string>> => {
        const { rows } = await direct.query(
          `SELECT ${column} AS v FROM "${schema}".${table} WHERE ${column} LIKE $1`,
          [like],
        );
        return new Set(rows.map((row: { v: string }) => row.v.replace(/^plu:/, '')));
      };
      const keys = await count('kyc_processed_webhooks', 'dedupe_key', 'gone-%');
      const states = await count('kyc_tracked_states', 'ref', 'plu:gone-%');
      const outbox = await count('kyc_outbox', 'ref', 'plu:gone-%');
      expect([...states].sort()).toEqual([...keys].sort());
      expect([...outbox].sort()).toEqual([...keys].sort());
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') expect(keys.has(`gone-${index}`)).toBe(true);
      });
    } finally {
      await direct.end();
    }
  });

  it('an ended pool makes every method reject', async () => {
    const ended = serverPool(url, 1);
    const store = createPostgresKycStore({ client: fromPgPool(ended) });
    await ended.end();
    await expect(store.apply(input('plu:ended'))).rejects.toThrow();
    await expect(store.claimOutbox({ limit: 1, leaseMs: 1, now: at(0) })).rejects.toThrow();
  });
});
