export { migrate, MIGRATIONS_DIR } from './migrate.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';
