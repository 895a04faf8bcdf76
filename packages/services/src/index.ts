export { makeServices } from './make-services.js';
export type { Services, MakeServicesOptions } from './make-services.js';
