export { startSandbox, assertNoViolations, type Sandbox } from './sandbox.js';
export {
  resolveOptions,
  DEFAULT_CREDENTIALS,
  DEFAULT_BUCKET_CAPACITY,
  LINGXING_PATHS,
  type SandboxOptions,
  type SandboxCredentials,
  type ResolvedOptions,
  type BucketOptions,
  type DscoRateLimitOptions,
  type FulfilmentOptions,
} from './options.js';
export type { SimClock } from './clock.js';
export type { Faults, FaultConfig, FaultSpec, SideFaults, Side } from './faults.js';
export type { SandboxState, StateOptions } from './state.js';
export type { World, SeedOrdersInput, SeedSummary, AddOrderInput } from './world/world.js';
export type { ScenarioMix } from './world/seed-orders.js';
export type { Writes, EndpointStats, Violation } from './world/recorder.js';
export type { BucketStats } from './lingxing/buckets.js';
export type { WmsRecord, LingxingOrder, LingxingItemInput, LingxingOrderInput, WmsProductRow, CancelResult } from './world/lingxing-side.js';
export {
  SCENARIO_TAGS,
  type ScenarioTag,
  type Scenario,
  type LingxingPlan,
  type DscoOrder,
  type DscoLineItem,
  type DscoShipping,
  type DscoStatus,
  type DscoLifecycle,
  type SuggestedMapping,
  type WorldOrder,
} from './world/types.js';
