import type { Config } from 'jest';

/**
 * One jest run for every package. Tests import sibling packages by name; the mapper points those
 * names at the sources so no build is needed to test (the smoke tests in packages/container check
 * the built output separately).
 */
const ESM_ONLY_PACKAGES = ['inversify', '@inversifyjs', 'jose', '@nestjs'];

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples'],
  testMatch: ['**/test/**/*.test.ts'],
  moduleNameMapper: {
    '^@kycport/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/index.ts',
    // Subpath exports (`@kycport/container/config`) map to the source file of the same name.
    '^@kycport/([a-z0-9-]+)/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/$2.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json' }],
    // inversify 8, jose 6 and NestJS 12 ship ES modules only; jest's CommonJS runtime cannot require
    // them, so their files are transpiled to CommonJS like our own (see docs/architecture.md);
    // the wrapper also rewrites `import.meta.url`, which TypeScript leaves in CommonJS output.
    '^.+\\.m?js$': [
      '<rootDir>/.ci/jest-esm-transform.cjs',
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
