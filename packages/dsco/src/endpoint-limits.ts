import type { RateLimit } from '@dlsync/remote';

/** Every DSCO endpoint dlsync calls, as `METHOD /path` relative to the v3 base. */
export const DSCO_ENDPOINTS = [
  'GET /order/page',
  'GET /order/',
  'POST /order/acknowledge',
  'POST /order/shipment/batch/small',
  'POST /invoice/batch/small',
  'GET /invoice',
  'POST /inventory/batch/small',
  'GET /order/log',
  'GET /invoice/log',
  'GET /inventory/log',
  'GET /warehouse/page',
  'GET /inventory',
  'POST /oauth2/token',
] as const;
export type DscoEndpoint = (typeof DSCO_ENDPOINTS)[number];

export interface DscoEndpointLimit {
  /** Calls allowed per window; every window must admit a call. Empty: not paced. */
  limits: RateLimit[];
  /**
   * Whether DSCO's API reference states these limits. Unstated ones are dlsync's own pacing,
   * so one busy endpoint cannot flood DSCO; the sandbox enforces only the stated ones.
   */
  stated: boolean;
  /** Largest request body DSCO accepts, in bytes (write endpoints only). */
  maxBodyBytes?: number;
}

const perSecondAndMinute = (second: number, minute: number): RateLimit[] => [
  { max: second, perMs: 1_000 },
  { max: minute, perMs: 60_000 },
];

/**
 * DSCO's documented body limit of the async write endpoints: "up to 5 megabytes". Read as
 * 5,000,000 bytes, the smaller of the two meanings, so a body under it fits either way.
 */
export const DSCO_MAX_BODY_BYTES = 5_000_000;

/**
 * What dlsync fills a write body up to: 10 % under {@link DSCO_MAX_BODY_BYTES}, because DSCO
 * may count bytes differently (headers, re-encoding) and a refused 5 MB body costs a whole call.
 */
export const DSCO_BODY_BUDGET_BYTES = 4_500_000;

// Our pacing where DSCO states no call rate: the rate DSCO gives its most limited read
// (order page), per endpoint.
const UNSTATED: DscoEndpointLimit = { limits: perSecondAndMinute(10, 500), stated: false };
const ASYNC_WRITE: DscoEndpointLimit = { ...UNSTATED, maxBodyBytes: DSCO_MAX_BODY_BYTES };

/**
 * The one table of DSCO's per-endpoint limits, from the v3 API reference (each endpoint's
 * description states "You can call this API N times per second, or up to M times per minute";
 * the small-batch writes state only their 5 MB body limit, the change logs and the token
 * endpoint state nothing).
 */
export const DSCO_ENDPOINT_LIMITS: Readonly<Record<DscoEndpoint, DscoEndpointLimit>> = {
  'GET /order/page': { limits: perSecondAndMinute(10, 500), stated: true },
  'GET /order/': { limits: perSecondAndMinute(10, 500), stated: true },
  'POST /order/acknowledge': { limits: perSecondAndMinute(15, 1000), stated: true, maxBodyBytes: DSCO_MAX_BODY_BYTES },
  'GET /invoice': { limits: perSecondAndMinute(15, 1000), stated: true },
  'POST /order/shipment/batch/small': ASYNC_WRITE,
  'POST /invoice/batch/small': ASYNC_WRITE,
  'POST /inventory/batch/small': ASYNC_WRITE,
  'GET /order/log': UNSTATED,
  'GET /invoice/log': UNSTATED,
  'GET /inventory/log': UNSTATED,
  // "rate-limited" without a number in the reference; read only by the preflight.
  'GET /warehouse/page': UNSTATED,
  // "You can call this API 15 times per second, or up to 300 times per minute."
  'GET /inventory': { limits: perSecondAndMinute(15, 300), stated: true },
  // The token call is rare (once an hour per process) and sits under the call that needed it.
  'POST /oauth2/token': { limits: [], stated: false },
};

/** Serialized size of a JSON body in bytes, as it goes on the wire. */
export function jsonBytes(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body));
}
