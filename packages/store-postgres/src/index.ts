export * from './sql-client';
export { DEFAULT_SCHEMA, MIGRATIONS_FOLDER, loadMigrations, migrate, splitStatements } from './migrate';
export type { MigrateOptions, MigrateResult, Migration } from './migrate';
export { createPostgresKycStore } from './postgres-kyc-store';
export type { PostgresKycStoreOptions } from './postgres-kyc-store';
