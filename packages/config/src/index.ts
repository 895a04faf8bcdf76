export { TASK_NAMES, MANUAL_ONLY_TASKS, isTaskName } from './tasks.js';
export type { TaskName } from './tasks.js';
export { ConfigError, problemsFromZod, exitOnConfigError } from './errors.js';
export { cronProblem, withoutInvalidCrons } from './cron.js';
export type { ConfigProblem } from './errors.js';
export {
  runtimeConfigSchema,
  mappingSchema,
  jobSchemas,
  parseRuntimeConfig,
  defaultRuntimeConfig,
} from './runtime-config.js';
export type { RuntimeConfig, RuntimeConfigInput, Mapping, JobConfigs } from './runtime-config.js';
export { envConfigSchema, loadEnvConfig, applyEnvOverrides, assertConfigFor } from './env-config.js';
export type { EnvConfig, LoadEnvConfigOptions } from './env-config.js';
export { STOCK_SEND_MODES, bufferRuleSchema, bufferAmountSchema } from './stock-config.js';
export type { BufferRule, StockSendMode } from './stock-config.js';
