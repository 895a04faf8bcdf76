export { makeServices } from './make-services.js';
export type { Services, MakeServicesOptions } from './make-services.js';
export { makeRedisCallRecorder, readCallCounts, callMetricsKey } from './call-metrics.js';
export type { CallCount } from './call-metrics.js';
export { exitOnSignals } from './exit-on-signals.js';
