/**
 * The shared KycStore contract (`@kycport/testing`) on the PostgreSQL store over a real server
 * (KYCPORT_TEST_DATABASE_URL): a fresh schema per test on one pool.
 */
import type { Pool } from 'pg';
import { describeKycStoreContract } from '@kycport/testing';
import {
  createPostgresKycStore,
  describeOnServer,
  dropSchemas,
  freshSchema,
  fromPgPool,
  migrate,
  serverPool,
} from './support';

describeOnServer('the KycStore contract on a real PostgreSQL server', (url) => {
  let pool: Pool | undefined;
  const schemas: string[] = [];
  afterAll(async () => {
    await pool?.end();
    await dropSchemas(url, schemas);
  });
  describeKycStoreContract('createPostgresKycStore (pg pool)', async () => {
    pool ??= serverPool(url, 10);
    const client = fromPgPool(pool);
    const schema = freshSchema();
    schemas.push(schema);
    await migrate(client, { schema });
    return { store: createPostgresKycStore({ client, schema }) };
  });
});
