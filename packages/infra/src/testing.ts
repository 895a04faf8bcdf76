/** Jest-only helpers; import from `@dlsync/infra/testing` inside test files. */
export { useTestEnv, makeTestDatabase, deleteRedisPrefix, TEST_ENV } from './test-env.js';
export type { TestEnv, TestDatabase } from './test-env.js';
