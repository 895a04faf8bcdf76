/**
 * What no implementation making a given set of calls could beat: every resource (a Lingxing
 * in-flight bucket, a DSCO rate limit) has to serve its calls, so the run takes at least as long
 * as its busiest resource needs. The bound ignores dependencies between stages, which only make
 * real runs slower, so `elapsed / bound ≥ 1` always and the ratio shows how much time is lost to
 * waiting, scheduling and our own CPU.
 */

export interface CallCounts {
  /** Calls per `service endpoint`, e.g. `lingxing /pb/mp/order/v2/create`. */
  [serviceEndpoint: string]: number;
}

export interface Limits {
  /** Lingxing in-flight bucket size per endpoint path. */
  lingxingBuckets: Record<string, number>;
  /** DSCO requests per second over every endpoint except acknowledge. */
  dscoPerSecond: number;
  /** DSCO requests per minute over every endpoint except acknowledge. */
  dscoPerMinute: number;
  /** DSCO acknowledge requests per second. */
  dscoAckPerSecond: number;
  /** Latency the sandbox adds to every call, ms. */
  latencyMs: number;
}

export interface ResourceTime {
  resource: string;
  calls: number;
  seconds: number;
}

export interface LowerBound {
  seconds: number;
  /** The busiest resource. */
  bottleneck: string;
  resources: ResourceTime[];
}

const ACK = '/order/acknowledge';

/** Time a rate limit of `max` per `windowS` needs for `calls`: the first window's burst is free. */
function rateTime(calls: number, max: number, windowS: number): number {
  return calls <= max ? 0 : ((calls - max) / max) * windowS;
}

export function lowerBound(counts: CallCounts, limits: Limits): LowerBound {
  const resources: ResourceTime[] = [];
  let dscoOverall = 0;
  let dscoAck = 0;
  const latencyS = limits.latencyMs / 1000;
  for (const [key, calls] of Object.entries(counts)) {
    const [service, endpoint = ''] = key.split(' ');
    if (service === 'lingxing') {
      // Only business endpoints have buckets; token calls are rare and unbounded.
      const bucket = limits.lingxingBuckets[endpoint];
      if (bucket) resources.push({ resource: `lingxing ${endpoint} (bucket ${bucket})`, calls, seconds: (calls * latencyS) / bucket });
    } else if (service === 'dsco') {
      if (endpoint === ACK) dscoAck += calls;
      else dscoOverall += calls;
    }
  }
  resources.push({
    resource: `dsco overall (${limits.dscoPerSecond}/s, ${limits.dscoPerMinute}/min)`,
    calls: dscoOverall,
    // A single call still takes one round trip.
    seconds: Math.max(
      rateTime(dscoOverall, limits.dscoPerSecond, 1),
      rateTime(dscoOverall, limits.dscoPerMinute, 60),
      dscoOverall ? latencyS : 0,
    ),
  });
  resources.push({
    resource: `dsco acknowledge (${limits.dscoAckPerSecond}/s)`,
    calls: dscoAck,
    seconds: Math.max(rateTime(dscoAck, limits.dscoAckPerSecond, 1), dscoAck ? latencyS : 0),
  });
  resources.sort((a, b) => b.seconds - a.seconds);
  const top = resources[0]!;
  return { seconds: top.seconds, bottleneck: top.resource, resources };
}

export interface ApiMaxima {
  dscoPageSize: number;
  lingxingListPos: number;
  wmsPos: number;
  lingxingCreate: number;
  dscoAck: number;
  dscoShipments: number;
  dscoInvoices: number;
}

/**
 * The fewest calls the lifecycle of `orders` orders can take given the APIs' batch maxima:
 * pull pages (+ the empty page that ends a scroll), push (list pre-check + create), ack (list +
 * acknowledge), ship (WMS + shipment), invoice (WMS + invoice). Reads of DSCO's own state that
 * make writes exactly-once are not in it: they are the price of "nothing twice".
 */
export function minimalCallCounts(orders: number, m: ApiMaxima): CallCounts {
  const per = (max: number): number => Math.ceil(orders / max);
  return {
    'dsco /order/page': per(m.dscoPageSize) + 1,
    'lingxing /pb/mp/order/v2/list': 2 * per(m.lingxingListPos),
    'lingxing /pb/mp/order/v2/create': per(m.lingxingCreate),
    'dsco /order/acknowledge': per(m.dscoAck),
    'lingxing /erp/sc/routing/wms/order/wmsOrderList': 2 * per(m.wmsPos),
    'dsco /order/shipment/batch/small': per(m.dscoShipments),
    'dsco /invoice/batch/small': per(m.dscoInvoices),
  };
}
