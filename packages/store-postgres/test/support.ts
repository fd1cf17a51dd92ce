/**
 * Test support: a PGlite database per file, a fresh schema per store, the real server from
 * KYCPORT_TEST_DATABASE_URL (required under CI=true: the server tests fail there rather than skip).
 */
import { randomBytes } from 'node:crypto';
import Module from 'node:module';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type * as PGliteModule from '@electric-sql/pglite';
import { Pool } from 'pg';
import type { ApplyStateInput, KycState, KycStatus, KycStore, ProviderId, UserRef } from '@kycport/core';
import { createPostgresKycStore, fromPGlite, fromPgPool, migrate } from '@kycport/store-postgres';
import type { SqlClient } from '@kycport/store-postgres';

export const DATABASE_URL = process.env.KYCPORT_TEST_DATABASE_URL ?? '';

/**
 * `describe` for tests that need a real PostgreSQL server. With no KYCPORT_TEST_DATABASE_URL: a
 * failing test under CI=true, skipped otherwise (a developer without a server).
 */
export function describeOnServer(name: string, body: (url: string) => void): void {
  if (DATABASE_URL !== '') {
    describe(name, () => body(DATABASE_URL));
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a real PostgreSQL server (KYCPORT_TEST_DATABASE_URL; .ci/run starts one)', () => {
        throw new Error(
          'CI=true and KYCPORT_TEST_DATABASE_URL is not set: the PostgreSQL server tests cannot run',
        );
      });
    });
  } else {
    describe.skip(`${name} (set KYCPORT_TEST_DATABASE_URL to run)`, () => {
      it('needs a real PostgreSQL server', () => undefined);
    });
  }
}

/**
 * PGlite's CommonJS build loads Node modules with a dynamic `import()`, which jest's module sandbox
 * refuses without `--experimental-vm-modules` (and jest's own `require`/`createRequire` stay in the
 * sandbox). Node's loader (`Module._load`) loads it outside, as a host's process would; its objects
 * then come from the outer realm, which is why the store reads dates without `instanceof`.
 */
export function newPGlite(): PGlite {
  const loader = Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown };
  const pglite = loader._load(require.resolve('@electric-sql/pglite'), null, false) as typeof PGliteModule;
  return new pglite.PGlite();
}

export function freshSchema(): string {
  return `kp_test_${randomBytes(6).toString('hex')}`;
}

/** One PGlite database for a test file; each `store()` gets its own schema on it. */
export function pgliteDatabase(): {
  readonly client: () => SqlClient;
  readonly db: () => PGlite;
  readonly store: () => Promise<{ store: KycStore; schema: string }>;
} {
  let db: PGlite | undefined;
  let client: SqlClient | undefined;
  beforeAll(async () => {
    db = newPGlite();
    await db.waitReady;
    client = fromPGlite(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
  const ready = (): SqlClient => {
    if (client === undefined) throw new Error('PGlite not started');
    return client;
  };
  return {
    client: ready,
    db: () => {
      if (db === undefined) throw new Error('PGlite not started');
      return db;
    },
    store: async () => {
      const schema = freshSchema();
      await migrate(ready(), { schema });
      return { store: createPostgresKycStore({ client: ready(), schema }), schema };
    },
  };
}

/** A pool on the real server; ended (and its schemas dropped) by `end()`. */
export function serverPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max });
  // Idle connections that the server (or a test) closes report here instead of crashing the run.
  pool.on('error', () => undefined);
  return pool;
}

export async function dropSchemas(url: string, schemas: ReadonlyArray<string>): Promise<void> {
  if (schemas.length === 0) return;
  const pool = serverPool(url, 1);
  try {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

export function state(status: KycStatus, providerStatus: string = status, attempt?: number): KycState {
  return {
    status,
    providerStatus,
    reasonCodes: [],
    ...(attempt === undefined ? {} : { attempt }),
    nextAction: { type: status === 'approved' ? 'none' : 'await_provider' },
  };
}

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');

export function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

export function input(ref: string, overrides: Partial<ApplyStateInput> = {}): ApplyStateInput {
  return {
    ref: ref as UserRef,
    provider: (ref.split(':')[0] ?? 'plu') as ProviderId,
    state: state('pending'),
    source: 'webhook',
    now: at(0),
    ...overrides,
  };
}

/** A loopback TCP proxy in front of the server: `cut()` is the database going away. */
export async function proxyTo(url: string): Promise<{ url: string; cut: () => Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const remote = connect(Number(target.port), target.hostname);
    for (const socket of [client, remote]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(remote).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);
  return {
    url: proxied.toString(),
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

export { createPostgresKycStore, fromPGlite, fromPgPool, migrate };
