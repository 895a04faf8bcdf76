import type { Config } from 'jest';

/**
 * One jest run over every workspace. The repo is ESM (got 14 is ESM-only), so tests run
 * through ts-jest in ESM mode under `--experimental-vm-modules` (see the `test` script).
 * Workspace imports resolve to TypeScript sources, so no build is needed before testing.
 */
export const baseConfig: Config = {
  testEnvironment: 'node',
  // Workspace packages export their TypeScript sources under this condition (see package.json).
  testEnvironmentOptions: { customExportConditions: ['dlsync-source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Fixed fast-check seed: property tests are deterministic (FC_SEED overrides).
  setupFilesAfterEnv: ['<rootDir>/test/fast-check-seed.ts'],
  globalSetup: '<rootDir>/packages/infra/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/packages/infra/src/jest/global-teardown.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};

const config: Config = {
  ...baseConfig,
  roots: ['<rootDir>/packages', '<rootDir>/apps'],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.chaos\\.test\\.ts$'],
};

export default config;
