/**
 * The PostgreSQL store on PGlite (one connection, in-process): the port's rules as the database
 * records them (rows read back with SQL), migrations, and faults inside the apply transaction.
 */
import type { KycStore, UserRef } from '@kycport/core';
import { loadMigrations, splitStatements } from '@kycport/store-postgres';
import type { SqlClient, SqlQueryable } from '@kycport/store-postgres';
import {
  at,
  createPostgresKycStore,
  fromPGlite,
  input,
  migrate,
  newPGlite,
  pgliteDatabase,
  state,
} from './support';

const database = pgliteDatabase();

async function rows(schema: string, sql: string): Promise<ReadonlyArray<Record<string, unknown>>> {
  await database.client().query(`SET search_path TO "${schema}"`);
  const result = await database.client().query(sql);
  await database.client().query('SET search_path TO public');
  return result.rows;
}

describe('migrate()', () => {
  it('creates the tables once and records each migration; a second run applies nothing', async () => {
    const schema = 'kp_migrate_once';
    const first = await migrate(database.client(), { schema });
    const second = await migrate(database.client(), { schema });
    expect(first.applied).toEqual(loadMigrations().map((migration) => migration.name));
    expect(second.applied).toEqual([]);
    const tables = await database
      .client()
      .query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'kyc_migrations',
      'kyc_outbox',
      'kyc_processed_webhooks',
      'kyc_tracked_states',
    ]);
  });

  it('refuses when an applied migration file has changed', async () => {
    const schema = 'kp_migrate_changed';
    const [shipped] = loadMigrations();
    if (shipped === undefined) throw new Error('no shipped migration');
    await migrate(database.client(), { schema });
    const edited = { ...shipped, checksum: 'not-the-same' };
    await expect(migrate(database.client(), { schema, migrations: [edited] })).rejects.toThrow(
      /applied with different contents/,
    );
  });

  it('splits a migration into statements, dropping comment lines', () => {
    expect(splitStatements('-- a;\nCREATE TABLE a (x int);\n\n-- b\nCREATE INDEX i ON a (x);')).toEqual([
      'CREATE TABLE a (x int)',
      'CREATE INDEX i ON a (x)',
    ]);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(migrate(database.client(), { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      /invalid schema/,
    );
  });
});

describe('createPostgresKycStore on PGlite', () => {
  let store: KycStore;
  let schema: string;
  beforeEach(async () => {
    ({ store, schema } = await database.store());
  });

  it('applies in one step: the state, its version and the outbox row the database holds', async () => {
    const outcome = await store.apply(
      input('plu:u1', { state: state('in_review'), dedupeKey: 'k1', now: at(1) }),
    );
    expect(outcome).toMatchObject({ kind: 'applied', change: { version: 1, ref: 'plu:u1', attempts: 0 } });
    expect(await rows(schema, 'SELECT ref, status, version, provider FROM kyc_tracked_states')).toEqual([
      { ref: 'plu:u1', status: 'in_review', version: 1, provider: 'plu' },
    ]);
    expect(await rows(schema, 'SELECT ref, version, source, previous_status, done FROM kyc_outbox')).toEqual([
      { ref: 'plu:u1', version: 1, source: 'webhook', previous_status: null, done: false },
    ]);
    expect(await rows(schema, 'SELECT dedupe_key FROM kyc_processed_webhooks')).toEqual([
      { dedupe_key: 'k1' },
    ]);
    expect(await store.apply(input('plu:u1', { state: state('approved'), dedupeKey: 'k1' }))).toEqual({
      kind: 'duplicate',
    });
    expect(await rows(schema, 'SELECT count(*)::int AS n FROM kyc_outbox')).toEqual([{ n: 1 }]);
  });

  it('stores only the normalized state: the state column holds exactly the KycState given', async () => {
    const given = { ...state('denied', 'REJECTED', 2), reasonCodes: ['NO_FACE_FOUND'] };
    await store.apply(input('plu:u2', { state: given }));
    expect(await rows(schema, 'SELECT state FROM kyc_tracked_states')).toEqual([{ state: given }]);
  });

  it('a conflict rolls the whole step back: the dedupe key is not recorded', async () => {
    await store.apply(input('plu:u3', { state: state('pending') }));
    const outcome = await store.apply(
      input('plu:u3', { state: state('approved'), expectedVersion: 0, dedupeKey: 'c1' }),
    );
    expect(outcome).toMatchObject({ kind: 'conflict', current: { version: 1 } });
    expect(await rows(schema, 'SELECT count(*)::int AS n FROM kyc_processed_webhooks')).toEqual([{ n: 0 }]);
    expect(await store.markProcessed('c1', at(2))).toBe('new');
    expect(await store.markProcessed('c1', at(3))).toBe('duplicate');
  });

  it('completed outbox changes stay in the table as done and are never claimed again', async () => {
    const applied = await store.apply(input('plu:u4', { state: state('approved') }));
    if (applied.kind !== 'applied') throw new Error(applied.kind);
    const [claimed] = await store.claimOutbox({ limit: 10, leaseMs: 1_000, now: at(10) });
    expect(claimed?.changeId).toBe(applied.change.changeId);
    await store.completeOutbox(applied.change.changeId);
    expect(await store.claimOutbox({ limit: 10, leaseMs: 1_000, now: at(60_000) })).toEqual([]);
    expect(await rows(schema, 'SELECT done, attempts FROM kyc_outbox')).toEqual([
      { done: true, attempts: 1 },
    ]);
  });
});

/** A client whose `failAt`-th transaction statement rejects (a crash inside the transaction). */
function failingClient(inner: SqlClient, failAt: number): SqlClient & { readonly statements: () => number } {
  let count = 0;
  return {
    statements: () => count,
    query: (text, params) => inner.query(text, params),
    transaction: (fn) =>
      inner.transaction((tx) => {
        const wrapped: SqlQueryable = {
          query: (text, params) => {
            count += 1;
            return count === failAt ? Promise.reject(new Error('crash')) : tx.query(text, params);
          },
        };
        return fn(wrapped);
      }),
  };
}

describe('a fault inside the apply transaction', () => {
  it('at any statement leaves nothing behind, and the re-delivery is processed as new', async () => {
    const { schema } = await database.store();
    const probe = failingClient(database.client(), Number.POSITIVE_INFINITY);
    await createPostgresKycStore({ client: probe, schema }).apply(input('plu:probe', { dedupeKey: 'probe' }));
    for (let failAt = 1; failAt <= probe.statements(); failAt += 1) {
      const ref = `plu:crash-${failAt}` as UserRef;
      const delivery = input(ref, {
        state: state('approved'),
        dedupeKey: `d-${failAt}`,
        ordered: true,
        now: at(5),
      });
      const crashing = createPostgresKycStore({ client: failingClient(database.client(), failAt), schema });
      await expect(crashing.apply(delivery)).rejects.toThrow('crash');
      const healthy = createPostgresKycStore({ client: database.client(), schema });
      expect(await healthy.get(ref)).toBeUndefined();
      expect(await healthy.apply(delivery)).toMatchObject({ kind: 'applied', change: { version: 1 } });
    }
    const outbox = await rows(schema, "SELECT ref FROM kyc_outbox WHERE ref LIKE 'plu:crash-%'");
    expect(outbox).toHaveLength(probe.statements());
  });

  it('a closed PGlite makes every method reject', async () => {
    const db = newPGlite();
    const client = fromPGlite(db);
    await migrate(client);
    const store = createPostgresKycStore({ client });
    await db.close();
    await expect(store.apply(input('plu:gone'))).rejects.toThrow();
    await expect(store.get('plu:gone' as UserRef)).rejects.toThrow();
    await expect(store.claimOutbox({ limit: 1, leaseMs: 1, now: at(0) })).rejects.toThrow();
  }, 60_000);
});
