export { makeMappingResolver } from './resolver.js';
export type { MappingResolver, ShipmentKeyFields } from './resolver.js';
export { buildReverseMap, MappingConflictError } from './reverse-map.js';
export type { ReverseMap, ReverseConflict } from './reverse-map.js';
