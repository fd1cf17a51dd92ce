/**
 * `createPostgresKycStore`: the tracker's `KycStore` on PostgreSQL (a `pg` pool or PGlite, through
 * `SqlClient`). Each `apply` is one transaction: the dedupe key (unique), the row lock, the ordering
 * and version rule (`decideApply`), the state and its outbox entry commit together or not at all.
 * The outbox and the reconcile sweep are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so
 * several instances share one database without handing the same change or user to two of them.
 */
import { randomUUID } from 'node:crypto';
import type {
  ApplyOutcome,
  ApplyStateInput,
  KycStore,
  OutboxClaim,
  StateChange,
  StaleUsersClaim,
  TrackedState,
  UserRef,
} from '@kycport/core';
import { DEFAULT_SCHEMA, quoteSchema } from './migrate';
import { FINAL_STATUSES, appliedState, decideApply } from '@kycport/core';

import { OUTBOX_COLUMNS, TRACKED_COLUMNS, isoTime, toStateChange, toTrackedState } from './rows';
import type { OutboxRow, TrackedRow } from './rows';
import type { SqlClient, SqlQueryable } from './sql-client';

/**
 * Options of `createPostgresKycStore`: the SQL client (a `pg` pool or PGlite, through `fromPgPool`
 * / `fromPGlite`), the schema, and what `close()` releases.
 */
export interface PostgresKycStoreOptions {
  /**
   * The database, as `fromPgPool(pool)` or `fromPGlite(db)` gives it. Run `migrate(client)` first.
   */
  readonly client: SqlClient;
  /** The schema `migrate()` created the tables in. Default `public`. */
  readonly schema?: string;
  /** Called by `close()` (e.g. `() => pool.end()`): the store does not own the client otherwise. */
  readonly onClose?: () => Promise<void>;
}

interface Tables {
  readonly states: string;
  readonly webhooks: string;
  readonly outbox: string;
}

/** Thrown inside a transaction to roll it back and still answer `value`. */
class RollbackWith {
  constructor(readonly value: ApplyOutcome) {}
}

/** The final statuses as an SQL list (fixed lower-case words from core), as in the sweep index. */
const FINAL_LIST = FINAL_STATUSES.map((status) => {
  if (!/^[a-z_]+$/.test(status)) throw new Error(`unexpected status ${status}`);
  return `'${status}'`;
}).join(', ');

function later(now: string, ms: number): string {
  return new Date(Date.parse(now) + ms).toISOString();
}

async function lockState(tx: SqlQueryable, tables: Tables, ref: UserRef): Promise<TrackedState | undefined> {
  const { rows } = await tx.query<TrackedRow>(
    `SELECT ${TRACKED_COLUMNS} FROM ${tables.states} WHERE ref = $1 FOR UPDATE`,
    [ref],
  );
  return rows[0] === undefined ? undefined : toTrackedState(rows[0]);
}

/**
 * Records the dedupe key (when there is one) and locks the ref's row, in one statement (one round
 * trip). `fresh` is false when the key was already recorded: a duplicate.
 */
async function keyAndLock(
  tx: SqlQueryable,
  tables: Tables,
  input: ApplyStateInput,
): Promise<{ readonly fresh: boolean; readonly current: TrackedState | undefined }> {
  if (input.dedupeKey === undefined) return { fresh: true, current: await lockState(tx, tables, input.ref) };
  const { rows } = await tx.query<Omit<TrackedRow, 'ref'> & { ref: string | null; fresh: number }>(
    `WITH fresh AS (
       INSERT INTO ${tables.webhooks} (dedupe_key, processed_at) VALUES ($2, $3)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)
     SELECT (SELECT count(*) FROM fresh)::int AS fresh, s.*
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (SELECT ${TRACKED_COLUMNS} FROM ${tables.states} WHERE ref = $1 FOR UPDATE) AS s ON true`,
    [input.ref, input.dedupeKey, input.now],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('dedupe and lock returned no row');
  const current = row.ref === null ? undefined : toTrackedState({ ...row, ref: row.ref });
  return { fresh: Number(row.fresh) === 1, current };
}

/**
 * Writes the state (the first one, or the next version of the locked row) and its outbox entry in
 * one statement. Undefined when the first insert lost to another transaction recording this ref.
 */
async function writeState(
  tx: SqlQueryable,
  tables: Tables,
  current: TrackedState | undefined,
  input: ApplyStateInput,
): Promise<StateChange | undefined> {
  const write =
    current === undefined
      ? `INSERT INTO ${tables.states} (ref, provider, status, state, provider_time, version, changed_at, checked_at)
         SELECT $1, $2, $3, $4::jsonb, $5, 1, $6, $6 WHERE $7::int = 0
         ON CONFLICT (ref) DO NOTHING RETURNING version`
      : `UPDATE ${tables.states} SET provider = $2, status = $3, state = $4::jsonb, provider_time = $5,
           version = version + 1, changed_at = $6, checked_at = $6
         WHERE ref = $1 AND version = $7::int RETURNING version`;
  const { rows } = await tx.query<OutboxRow>(
    `WITH written AS (${write})
     INSERT INTO ${tables.outbox}
       (change_id, ref, provider, previous_status, state, version, source, changed_at, due_at)
     SELECT $8, $1, $2, $9, $4::jsonb, written.version, $10, $6::timestamptz, $6::timestamptz FROM written
     RETURNING ${OUTBOX_COLUMNS}`,
    [
      input.ref,
      input.provider,
      input.state.status,
      JSON.stringify(input.state),
      // The provider time core's rule keeps (a readable one, else none).
      appliedState(current, input).providerTime ?? null,
      input.now,
      current?.version ?? 0,
      randomUUID(),
      current?.state.status ?? null,
      input.source,
    ],
  );
  if (rows[0] === undefined && current !== undefined)
    throw new Error(`version of ${input.ref} moved under its lock`);
  return rows[0] === undefined ? undefined : toStateChange(rows[0]);
}

async function touchState(
  tx: SqlQueryable,
  tables: Tables,
  current: TrackedState,
  now: string,
): Promise<TrackedState> {
  const { rows } = await tx.query<TrackedRow>(
    `UPDATE ${tables.states} SET checked_at = GREATEST(checked_at, $2::timestamptz)
     WHERE ref = $1 RETURNING ${TRACKED_COLUMNS}`,
    [current.ref, now],
  );
  return rows[0] === undefined ? current : toTrackedState(rows[0]);
}

/** Inside the transaction, the row locked: decide (`decideApply`), then write. */
async function applyLocked(
  tx: SqlQueryable,
  tables: Tables,
  input: ApplyStateInput,
  locked: TrackedState | undefined,
): Promise<ApplyOutcome> {
  let current = locked;
  for (let round = 0; round < 2; round += 1) {
    const decision = decideApply(current, input);
    if (decision === 'conflict') {
      throw new RollbackWith(current === undefined ? { kind: 'conflict' } : { kind: 'conflict', current });
    }
    if (decision === 'stale' && current !== undefined) return { kind: 'stale', current };
    if (decision === 'unchanged' && current !== undefined) {
      return { kind: 'unchanged', current: await touchState(tx, tables, current, input.now) };
    }
    const change = await writeState(tx, tables, current, input);
    if (change !== undefined) return { kind: 'applied', change };
    // Another transaction recorded this ref first (ON CONFLICT waited for its commit): go on from it.
    current = await lockState(tx, tables, input.ref);
  }
  throw new Error(`could not apply the state of ${input.ref}`);
}

async function recordKey(client: SqlQueryable, tables: Tables, key: string, now: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO ${tables.webhooks} (dedupe_key, processed_at) VALUES ($1, $2) ON CONFLICT (dedupe_key) DO NOTHING`,
    [key, now],
  );
  return rowCount === 1;
}

function tablesOf(schema: string): Tables {
  const quoted = quoteSchema(schema);
  return {
    states: `${quoted}.kyc_tracked_states`,
    webhooks: `${quoted}.kyc_processed_webhooks`,
    outbox: `${quoted}.kyc_outbox`,
  };
}

function outboxMethods(
  client: SqlClient,
  tables: Tables,
): Pick<KycStore, 'claimOutbox' | 'completeOutbox' | 'failOutbox'> {
  return {
    claimOutbox: async (claim: OutboxClaim) => {
      const { rows } = await client.query<OutboxRow & { seq: string; due_at: unknown }>(
        `UPDATE ${tables.outbox} AS o SET lease_until = $3, attempts = o.attempts + 1
         FROM (SELECT change_id FROM ${tables.outbox}
               WHERE NOT done AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
               ORDER BY due_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) AS due
         WHERE o.change_id = due.change_id
         RETURNING o.seq, o.due_at, ${OUTBOX_COLUMNS.split(', ')
           .map((column) => `o.${column}`)
           .join(', ')}`,
        [claim.now, Math.max(0, Math.floor(claim.limit)), later(claim.now, claim.leaseMs)],
      );
      return [...rows]
        .sort((a, b) => isoTime(a.due_at).localeCompare(isoTime(b.due_at)) || Number(a.seq) - Number(b.seq))
        .map((row) => toStateChange({ ...row, attempts: Number(row.attempts) - 1 }));
    },
    completeOutbox: async (changeId: string) => {
      await client.query(
        `UPDATE ${tables.outbox} SET done = true, done_at = now(), lease_until = NULL WHERE change_id = $1`,
        [changeId],
      );
    },
    failOutbox: async (changeId: string, retryAt: string) => {
      await client.query(
        `UPDATE ${tables.outbox} SET due_at = $2, lease_until = NULL WHERE change_id = $1 AND NOT done`,
        [changeId, retryAt],
      );
    },
  };
}

function sweepMethod(client: SqlClient, tables: Tables): KycStore['claimStaleUsers'] {
  return async (claim: StaleUsersClaim) => {
    const { rows } = await client.query<TrackedRow>(
      `UPDATE ${tables.states} AS s SET sweep_lease_until = $3
       FROM (SELECT ref FROM ${tables.states}
             WHERE status NOT IN (${FINAL_LIST}) AND checked_at <= $2
               AND (sweep_lease_until IS NULL OR sweep_lease_until <= $1)
               AND ($5::text IS NULL OR provider = $5)
             ORDER BY checked_at, ref COLLATE "C" LIMIT $4 FOR UPDATE SKIP LOCKED) AS stale
       WHERE s.ref = stale.ref
       RETURNING ${TRACKED_COLUMNS.split(', ')
         .map((column) => `s.${column}`)
         .join(', ')}`,
      [
        claim.now,
        later(claim.now, -claim.olderThanMs),
        later(claim.now, claim.leaseMs),
        Math.max(0, Math.floor(claim.limit)),
        claim.provider ?? null,
      ],
    );
    return rows
      .map(toTrackedState)
      .sort((a, b) => a.checkedAt.localeCompare(b.checkedAt) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  };
}

/**
 * The tracker's store on PostgreSQL. Run `migrate(client, { schema })` first (once per start is
 * fine). The store keeps only the normalized `KycState` per ref, webhook dedupe keys and the outbox:
 * no applicant data, no raw provider payload.
 */
export function createPostgresKycStore(options: PostgresKycStoreOptions): KycStore {
  const { client } = options;
  const tables = tablesOf(options.schema ?? DEFAULT_SCHEMA);
  return {
    get: async (ref) => {
      const { rows } = await client.query<TrackedRow>(
        `SELECT ${TRACKED_COLUMNS} FROM ${tables.states} WHERE ref = $1`,
        [ref],
      );
      return rows[0] === undefined ? undefined : toTrackedState(rows[0]);
    },
    apply: async (input) => {
      try {
        return await client.transaction(async (tx) => {
          const { fresh, current } = await keyAndLock(tx, tables, input);
          return fresh ? applyLocked(tx, tables, input, current) : ({ kind: 'duplicate' } as const);
        });
      } catch (error) {
        if (error instanceof RollbackWith) return error.value;
        throw error;
      }
    },
    markProcessed: async (dedupeKey, now) =>
      (await recordKey(client, tables, dedupeKey, now)) ? 'new' : 'duplicate',
    ...outboxMethods(client, tables),
    claimStaleUsers: sweepMethod(client, tables),
    close: async () => {
      await options.onClose?.();
    },
  };
}
