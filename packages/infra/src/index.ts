export { startInfra } from './start-infra.js';
export type { StartInfraOptions } from './start-infra.js';
export { envInfra } from './env-provider.js';
export { InfraUnavailableError } from './types.js';
export type { Infra, ProviderName } from './types.js';
export { withDatabase } from './database-url.js';
