/**
 * The shipped SQL migrations (`migrations/*.sql` in this package) and `migrate()`: one transaction,
 * serialized by a transaction-scoped advisory lock, so several instances starting at once apply
 * each migration exactly once; a table records what was applied (name and checksum).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient, SqlQueryable } from './sql-client';

/** The schema the store's tables live in unless `schema` says otherwise. */
export const DEFAULT_SCHEMA = 'public';

/** The folder holding the shipped `.sql` files (next to `src` and `dist`). */
export const MIGRATIONS_FOLDER = join(__dirname, '..', 'migrations');

/** One shipped SQL migration file. */
export interface Migration {
  /** The file name, e.g. `0001_tracker_store.sql`: applied in name order. */
  readonly name: string;
  /** The file's SQL, statements separated by a `;` at a line's end. */
  readonly sql: string;
  /** sha256 of the file, recorded when applied. */
  readonly checksum: string;
}

/** Options of `migrate`: the schema, and (for tests) the migrations to apply. */
export interface MigrateOptions {
  /** The schema the store's tables live in (created if missing). Default `public`. */
  readonly schema?: string;
  /** Replaces the shipped migrations (tests). */
  readonly migrations?: ReadonlyArray<Migration>;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Names applied by this call (empty when the schema was up to date). */
  readonly applied: ReadonlyArray<string>;
}

/** A schema name as a quoted identifier; only plain lower-case names are accepted. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)} (lower-case letters, digits, _)`);
  }
  return `"${schema}"`;
}

/**
 * Reads the `.sql` files of `folder` (default: the shipped migrations) in name order, with their
 * checksums.
 */
export function loadMigrations(folder: string = MIGRATIONS_FOLDER): ReadonlyArray<Migration> {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Splits a migration into statements: one per `;` at a line's end; `--` comment lines dropped. */
export function splitStatements(sql: string): ReadonlyArray<string> {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

async function appliedMigrations(tx: SqlQueryable): Promise<ReadonlyMap<string, string>> {
  await tx.query(
    `CREATE TABLE IF NOT EXISTS kyc_migrations (
       name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await tx.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM kyc_migrations',
  );
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

/**
 * Brings the store's schema up to date. Safe to call from every instance at start: a
 * transaction-scoped advisory lock (keyed by the schema) makes concurrent calls wait for each other,
 * and each migration runs once. Refuses (rejects) when an applied migration's file has changed.
 */
export async function migrate(client: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const quoted = quoteSchema(schema);
  const migrations = options.migrations ?? loadMigrations();
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `kycport.store-postgres.migrate:${schema}`,
    ]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await tx.query(`SET LOCAL search_path TO ${quoted}`);
    const done = await appliedMigrations(tx);
    const applied: string[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was applied with different contents`);
        }
        continue;
      }
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO kyc_migrations (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.name);
    }
    return { applied };
  });
}
