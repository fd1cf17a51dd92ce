import type { Config } from 'jest';

/**
 * One jest run for every package. Tests import sibling packages by name; the mapper points those
 * names at the sources so no build is needed to test (the smoke tests in packages/container check
 * the built output separately).
 */
const ESM_ONLY_PACKAGES = ['inversify', '@inversifyjs', 'jose'];

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages'],
  testMatch: ['**/test/**/*.test.ts'],
  moduleNameMapper: {
    '^@kycport/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json' }],
    // inversify 8 and jose 6 ship ES modules only; jest's CommonJS runtime cannot require them, so
    // their files are transpiled to CommonJS like our own (see docs/architecture.md).
    '^.+\\.m?js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [
    `/node_modules/(?!(?:\\.pnpm/[^/]+/node_modules/)?(?:${ESM_ONLY_PACKAGES.join('|')})/)`,
  ],
  setupFiles: ['<rootDir>/packages/testing/src/jest/disable-net-connect.ts'],
  setupFilesAfterEnv: [
    '<rootDir>/packages/testing/src/jest/restore-nock.ts',
    '<rootDir>/packages/testing/src/jest/property-runs.ts',
  ],
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/.ci/summary-reporter.cjs'],
  // Benchmarks never run in the test command.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/packages/bench/'],
};

export default config;
