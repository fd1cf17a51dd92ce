/**
 * The tracker's database in the demo: PGlite (PostgreSQL compiled to WASM, in memory, in-process)
 * by default, so the demo needs no setup; a real PostgreSQL server when `KYC_DATABASE_URL` is set.
 * The same shipped migrations run on either, and the same store (`@kycport/store-postgres`) talks to it.
 */
import Module from 'node:module';
import type * as PGliteModule from '@electric-sql/pglite';
import { Pool } from 'pg';
import type { Environment } from '@kycport/core';
import { fromPGlite, fromPgPool, migrate } from '@kycport/store-postgres';
import type { SqlClient } from '@kycport/store-postgres';

export interface DemoDatabase {
  readonly kind: 'pglite' | 'postgres';
  /** What the demo prints: never the URL's user or password. */
  readonly description: string;
  readonly client: SqlClient;
  close(): Promise<void>;
}

/**
 * Loads PGlite through Node's own loader (`Module._load`) rather than `import`/`require`. Under
 * `node dist/main.js` the two are the same; under jest they are not: PGlite's CommonJS build loads
 * its Node modules with a dynamic `import()`, which jest's module sandbox refuses (without
 * `--experimental-vm-modules`), and jest's own `require` stays in the sandbox. Node's loader loads
 * it outside, as the host's process would (as packages/store-postgres/test/support.ts does).
 */
export function loadPGlite(): typeof PGliteModule {
  const loader = Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown };
  return loader._load(require.resolve('@electric-sql/pglite'), null, false) as typeof PGliteModule;
}

/** `host:port/database` of a connection string, without credentials. */
function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    throw new Error('KYC_DATABASE_URL is not a valid postgres:// URL');
  }
}

async function openServer(url: string): Promise<DemoDatabase> {
  const description = `PostgreSQL server at ${describeServer(url)} (KYC_DATABASE_URL)`;
  const pool = new Pool({ connectionString: url, max: 5 });
  // An idle connection the server closes reports here instead of crashing the demo.
  pool.on('error', () => undefined);
  const client = fromPgPool(pool);
  try {
    await migrate(client);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { kind: 'postgres', description, client, close: () => pool.end() };
}

async function openPGlite(): Promise<DemoDatabase> {
  const db = new (loadPGlite().PGlite)();
  await db.waitReady;
  const client = fromPGlite(db);
  await migrate(client);
  return {
    kind: 'pglite',
    description: 'PGlite, PostgreSQL in memory in this process (set KYC_DATABASE_URL for a server)',
    client,
    close: () => db.close(),
  };
}

/** The server in `KYC_DATABASE_URL`, else PGlite in memory; migrated either way. */
export function openDemoDatabase(env: Environment): Promise<DemoDatabase> {
  const url = env.KYC_DATABASE_URL?.trim();
  return url ? openServer(url) : openPGlite();
}
