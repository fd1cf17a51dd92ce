/**
 * The tracker's `KycStore` on PostgreSQL (`pg`) or PGlite: shipped SQL migrations and
 * `migrate()`, one transaction per apply, an outbox and leased reconcile sweeps shared safely by
 * several host instances.
 *
 * @module @kycport/store-postgres
 */
export * from './sql-client';
export { DEFAULT_SCHEMA, MIGRATIONS_FOLDER, loadMigrations, migrate, splitStatements } from './migrate';
export type { MigrateOptions, MigrateResult, Migration } from './migrate';
export { createPostgresKycStore } from './postgres-kyc-store';
export type { PostgresKycStoreOptions } from './postgres-kyc-store';
