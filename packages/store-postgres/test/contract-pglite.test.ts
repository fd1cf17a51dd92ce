/** The shared KycStore contract (`@kycport/testing`) on the PostgreSQL store over PGlite. */
import { describeKycStoreContract } from '@kycport/testing';
import { pgliteDatabase } from './support';

const database = pgliteDatabase();

describeKycStoreContract('createPostgresKycStore (PGlite)', async () => {
  const { store } = await database.store();
  return { store };
});
