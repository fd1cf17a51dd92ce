/**
 * The small query interface the PostgreSQL store talks to, and its two adapters: a `pg` pool
 * (`fromPgPool`) and a PGlite instance (`fromPGlite`, PostgreSQL compiled to WASM, in-process).
 * The store's SQL is the same on both.
 *
 * Both adapters are typed structurally: this package imports neither `pg` nor
 * `@electric-sql/pglite`, the host passes its own pool or instance (both are optional peers).
 */
import { createHash } from 'node:crypto';

/** One result: the rows, and how many rows the statement touched. */
export interface SqlResult<R = Record<string, unknown>> {
  readonly rows: ReadonlyArray<R>;
  /** Rows inserted, updated, deleted or returned by the statement. */
  readonly rowCount: number;
}

/** Runs one statement with `$1`-style parameters. */
export interface SqlQueryable {
  /** Runs `text` with `params` bound to `$1`, `$2`, ...; rejects when the database refuses it. */
  query<R = Record<string, unknown>>(text: string, params?: ReadonlyArray<unknown>): Promise<SqlResult<R>>;
}

/**
 * What the PostgreSQL store runs on: plain queries, and transactions on one connection.
 * `fromPgPool` and `fromPGlite` make one.
 */
export interface SqlClient extends SqlQueryable {
  /**
   * Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
   * rejects (the rejection is passed on).
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}

/** A `pg` query config: a `name` makes it a prepared statement, parsed once per connection. */
export interface PgQueryConfigLike {
  /** The SQL statement, with `$1`-style placeholders. */
  text: string;
  /** The parameters' values. */
  values?: unknown[];
  /** The prepared statement's name. */
  name?: string;
}

/** What `fromPgPool` needs of a `pg` client (`PoolClient`). */
export interface PgPoolClientLike {
  /** Runs one statement on this connection. */
  query(config: PgQueryConfigLike): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** Returns the connection to the pool; with an error (or `true`), destroys it instead. */
  release(err?: Error | boolean): void;
  /** Listens for the connection's `error` event (a connection lost while checked out). */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes an `error` listener added with `on`. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** What `fromPgPool` needs of a `pg` `Pool`. */
export interface PgPoolLike {
  /** Runs one statement on any pooled connection. */
  query(config: PgQueryConfigLike): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** Checks out one connection, for a transaction. */
  connect(): Promise<PgPoolClientLike>;
}

/** What `fromPGlite` needs of a PGlite transaction. */
export interface PGliteQueryableLike {
  /** Runs one statement with `$1`-style parameters. */
  query(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: unknown[]; affectedRows?: number; rowCount?: number }>;
}

/** What `fromPGlite` needs of a `PGlite` instance. */
export interface PGliteLike extends PGliteQueryableLike {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(fn: (tx: PGliteQueryableLike) => Promise<T>): Promise<T>;
}

const statementNames = new Map<string, string>();

/**
 * The statement as a `pg` query config: a statement with parameters gets a name derived from its
 * text, so each connection parses and plans it once (the store runs the same few statements).
 */
function pgConfig(text: string, params: ReadonlyArray<unknown>): PgQueryConfigLike {
  if (params.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `kycport_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 1_000) statementNames.set(text, name);
  }
  return { name, text, values: [...params] };
}

function pgResult<R>(result: { rows: unknown[]; rowCount: number | null }): SqlResult<R> {
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
}

function pgliteResult<R>(result: {
  rows: unknown[];
  affectedRows?: number;
  rowCount?: number;
}): SqlResult<R> {
  // Older PGlite versions have no per-statement rowCount: affectedRows (0 for a SELECT) or the rows.
  const rowCount = result.rowCount ?? Math.max(result.affectedRows ?? 0, result.rows.length);
  return { rows: result.rows as R[], rowCount };
}

/**
 * A `pg` pool as a `SqlClient`. Plain queries go to any pooled connection; a transaction holds one
 * connection from BEGIN to COMMIT / ROLLBACK. A connection that failed inside a transaction is
 * destroyed rather than returned to the pool. (Give the pool an `error` listener: `pg` emits idle
 * connection errors there, e.g. when the server restarts.)
 */
export function fromPgPool(pool: PgPoolLike): SqlClient {
  return {
    query: async <R>(text: string, params: ReadonlyArray<unknown> = []) =>
      pgResult<R>(await pool.query(pgConfig(text, params))),
    transaction: async <T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> => {
      const connection = await pool.connect();
      // A connection lost while checked out emits `error` (between two statements no query is
      // there to reject): without a listener that would crash the host. The next statement rejects.
      let lost: Error | undefined;
      const onError = (error: Error): void => {
        lost = error;
      };
      connection.on?.('error', onError);
      const tx: SqlQueryable = {
        query: async <R>(text: string, params: ReadonlyArray<unknown> = []) => {
          if (lost !== undefined) throw lost;
          return pgResult<R>(await connection.query(pgConfig(text, params)));
        },
      };
      try {
        await tx.query('BEGIN');
        const value = await fn(tx);
        await tx.query('COMMIT');
        connection.removeListener?.('error', onError);
        connection.release();
        return value;
      } catch (error) {
        const rolledBack = await tx.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        connection.removeListener?.('error', onError);
        connection.release(rolledBack ? undefined : true);
        throw error;
      }
    },
  };
}

/**
 * A PGlite instance as a `SqlClient`. PGlite has one connection: every query and transaction of
 * this client runs one after another (a queue), so a transaction never sees another's statements.
 * Use one client per PGlite instance.
 */
export function fromPGlite(db: PGliteLike): SqlClient {
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    query: <R>(text: string, params: ReadonlyArray<unknown> = []) =>
      exclusive(async () => pgliteResult<R>(await db.query(text, [...params]))),
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) =>
      exclusive(() =>
        db.transaction((raw) =>
          fn({
            query: async <R>(text: string, params: ReadonlyArray<unknown> = []) =>
              pgliteResult<R>(await raw.query(text, [...params])),
          }),
        ),
      ),
  };
}
