/**
 * What no implementation making a given set of calls could beat: every resource (a Lingxing
 * in-flight bucket, one DSCO endpoint's rate limits) has to serve its calls, so the run takes at
 * least as long as its busiest resource needs. The throughput bounds ignore dependencies between
 * stages; the critical-path bound is the other half: one order still has to go through every
 * stage one after the other. Real runs are slower than both, so `elapsed / bound ≥ 1` and the
 * ratio shows the time lost to waiting, scheduling and our own CPU. Pure functions: the limits
 * come in as parameters (the bench takes them from the clients' own tables).
 */

export interface CallCounts {
  /** Calls per `service endpoint`, e.g. `lingxing /pb/mp/order/v2/create`. */
  [serviceEndpoint: string]: number;
}

/** A rate limit: `max` calls per window of `perMs` (the shape @dlsync/remote uses). */
export interface WindowLimit {
  max: number;
  perMs: number;
}

export interface Limits {
  /** Lingxing in-flight bucket size per endpoint path. */
  lingxingBuckets: Record<string, number>;
  /** DSCO rate limits per endpoint path (e.g. `/order/page`); an endpoint not listed is unpaced. */
  dscoEndpoints: Record<string, readonly WindowLimit[]>;
  /** An account-wide DSCO cap over every endpoint together. (Default: none) */
  dscoAccount?: readonly WindowLimit[];
  /** Latency the sandbox adds to every call, ms. */
  latencyMs: number;
}

export interface ResourceTime {
  /** The `service endpoint` whose calls it serves. */
  key: string;
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

/**
 * Earliest time the last of `calls` can start under `limit`: each window admits `max` calls, the
 * first window's burst is free. Continuous (no rounding up to whole windows), so it never
 * overstates what the limit forces.
 */
export function rateSeconds(calls: number, limit: WindowLimit): number {
  return calls <= limit.max ? 0 : ((calls - limit.max) / limit.max) * (limit.perMs / 1000);
}

/** `10/s, 500/min` */
export function describeLimits(limits: readonly WindowLimit[]): string {
  return limits.map((l) => (l.perMs === 1000 ? `${l.max}/s` : l.perMs === 60_000 ? `${l.max}/min` : `${l.max}/${l.perMs} ms`)).join(', ');
}

/** Time a paced resource needs: its slowest window, plus the last call's own round trip. */
function pacedSeconds(calls: number, limits: readonly WindowLimit[], latencyS: number): number {
  if (calls === 0) return 0;
  return Math.max(0, ...limits.map((l) => rateSeconds(calls, l))) + latencyS;
}

export function lowerBound(counts: CallCounts, limits: Limits): LowerBound {
  const resources: ResourceTime[] = [];
  const latencyS = limits.latencyMs / 1000;
  let dscoTotal = 0;
  for (const [key, calls] of Object.entries(counts)) {
    const [service, endpoint = ''] = key.split(' ');
    if (service === 'lingxing') {
      // Only business endpoints have buckets; token calls are rare and unbounded.
      const bucket = limits.lingxingBuckets[endpoint];
      if (bucket) resources.push({ key, resource: `lingxing ${endpoint} (bucket ${bucket})`, calls, seconds: (calls * latencyS) / bucket });
    } else if (service === 'dsco') {
      dscoTotal += calls;
      const paced = limits.dscoEndpoints[endpoint];
      if (paced?.length) resources.push({ key, resource: `dsco ${endpoint} (${describeLimits(paced)})`, calls, seconds: pacedSeconds(calls, paced, latencyS) });
    }
  }
  if (limits.dscoAccount?.length) {
    resources.push({ key: 'dsco *', resource: `dsco account cap (${describeLimits(limits.dscoAccount)})`, calls: dscoTotal, seconds: pacedSeconds(dscoTotal, limits.dscoAccount, latencyS) });
  }
  return busiest(resources);
}

/** The bound the busiest of `resources` sets (they come back busiest first). */
function busiest(resources: ResourceTime[]): LowerBound {
  resources.sort((a, b) => b.seconds - a.seconds);
  const top = resources[0] ?? { resource: 'none', seconds: 0 };
  return { seconds: top.seconds, bottleneck: top.resource, resources };
}

export interface ApiMaxima {
  dscoPageSize: number;
  lingxingListPos: number;
  wmsPos: number;
  lingxingCreate: number;
  /** Items per write body: DSCO bounds bodies by bytes, so the body budget / a typical item's bytes. */
  dscoAck: number;
  dscoShipments: number;
  dscoInvoices: number;
  /** Entries per change-log page. */
  changeLogPageSize: number;
}

/**
 * Calls that settle `items` sent `perWrite` to a body: each write's change log read once after
 * DSCO completed it, in pages of `pageSize`. A read ends on the page that brings the last of the
 * write's entries (DSCO logs one per object), not on the empty page after it.
 */
export function changeLogReads(items: number, perWrite: number, pageSize: number): number {
  let calls = 0;
  for (let left = items; left > 0; left -= perWrite) calls += Math.ceil(Math.min(left, perWrite) / pageSize);
  return calls;
}

/** Items one body of at most `budgetBytes` holds when each item takes `itemBytes` (plus a comma). */
export function itemsPerBody(budgetBytes: number, itemBytes: number): number {
  return Math.max(1, Math.floor((budgetBytes - 2) / (itemBytes + 1)));
}

/**
 * The fewest calls the lifecycle of `orders` orders can take given the APIs' batch maxima:
 * pull pages (+ the empty page that ends a scroll), push (list pre-check + create), ack (list +
 * acknowledge), ship (WMS + shipment), invoice (the WMS facts ship read are kept, so only the
 * invoice), and one change-log read per write to settle it (verified writes), page by page. Reads of DSCO's own
 * order state that make writes exactly-once are not in it: they are the price of "nothing twice".
 */
export function minimalCallCounts(orders: number, m: ApiMaxima): CallCounts {
  const per = (max: number): number => Math.ceil(orders / max);
  const acks = per(m.dscoAck);
  const shipments = per(m.dscoShipments);
  const invoices = per(m.dscoInvoices);
  return {
    'dsco /order/page': per(m.dscoPageSize) + 1,
    'lingxing /pb/mp/order/v2/list': 2 * per(m.lingxingListPos),
    'lingxing /pb/mp/order/v2/create': per(m.lingxingCreate),
    'dsco /order/acknowledge': acks,
    'lingxing /erp/sc/routing/wms/order/wmsOrderList': per(m.wmsPos),
    'dsco /order/shipment/batch/small': shipments,
    'dsco /invoice/batch/small': invoices,
    // Acknowledgements and shipments settle in the order change log, invoices in the invoice log.
    'dsco /order/log': changeLogReads(orders, m.dscoAck, m.changeLogPageSize) + changeLogReads(orders, m.dscoShipments, m.changeLogPageSize),
    'dsco /invoice/log': changeLogReads(orders, m.dscoInvoices, m.changeLogPageSize),
  };
}

/** What the chain of one order waits for besides round trips. */
export interface ChainInput {
  latencyMs: number;
  /** DSCO applies an async write (shipment, invoice) this long after its 202. */
  applyDelayMs: number;
  /** The same for an acknowledgement. (Default: applyDelayMs) */
  ackApplyDelayMs?: number;
  /** Lingxing moves a created order to "to ship" (ack may go) this long after create. */
  toShipAfterMs: number;
  /** Lingxing's warehouse ships it (WMS has a tracking number) this long after create. */
  shipAfterMs: number;
}

export interface ChainStep {
  step: string;
  ms: number;
}

export interface CriticalPath {
  seconds: number;
  steps: ChainStep[];
}

/**
 * The critical path of one order through pull → push → Lingxing fulfilment → ack → ship →
 * invoice: the round trips each stage cannot avoid in sequence and DSCO's apply delay after each
 * write that must be settled before the next stage may go (ship waits for ack, invoice for ship;
 * a write is confirmed by one change-log read after it applied). Push's pre-check list (it keeps
 * the create exactly-once) must come before the create; ack's and ship's DSCO state reads can run
 * beside their Lingxing reads, so they add no round trip; invoice uses the WMS facts ship kept.
 * Ack runs while Lingxing is still fulfilling, so that part is the later of the two.
 */
export function criticalPath(c: ChainInput): CriticalPath {
  const rtt = c.latencyMs;
  const settled = (delayMs: number): number => rtt + delayMs + rtt;
  const ackDone = c.toShipAfterMs + rtt + settled(c.ackApplyDelayMs ?? c.applyDelayMs);
  const steps: ChainStep[] = [
    { step: 'pull: first page', ms: rtt },
    { step: 'push: pre-check list + create', ms: 2 * rtt },
    { step: 'Lingxing ships, or to-ship + ack (list, write, apply, change log) if later', ms: Math.max(c.shipAfterMs, ackDone) },
    { step: 'ship: WMS read (the DSCO state read beside it)', ms: rtt },
    { step: 'ship: write + apply delay + change-log read', ms: settled(c.applyDelayMs) },
    { step: 'invoice: write + apply delay + change-log read', ms: settled(c.applyDelayMs) },
  ];
  return { seconds: steps.reduce((s, x) => s + x.ms, 0) / 1000, steps };
}

/** How long the chain keeps a resource waiting before its first call and after its last. */
export interface ResourceEdges {
  /** The shortest chain before the resource can make its first call. */
  headMs: number;
  /** The shortest chain that still runs after its last call returned. */
  tailMs: number;
}

/**
 * The edges of the two change logs, the busiest resources of a lifecycle. The order log's first
 * read settles an acknowledgement, which needs an order pulled, pushed, made ready to ship by
 * Lingxing, listed and acknowledged; its last read settles a shipment (an order's shipment is
 * read after its acknowledgement), and that order's invoice is still to be written, applied and
 * read. The invoice log's first read ends the chain of the first order.
 */
export function changeLogEdges(c: ChainInput): Record<string, ResourceEdges> {
  const rtt = c.latencyMs;
  const beforeAckRead = rtt + 2 * rtt + c.toShipAfterMs + rtt + rtt + (c.ackApplyDelayMs ?? c.applyDelayMs);
  return {
    'dsco /order/log': { headMs: beforeAckRead, tailMs: rtt + c.applyDelayMs + rtt },
    'dsco /invoice/log': { headMs: criticalPath(c).seconds * 1000 - rtt, tailMs: 0 },
  };
}

/**
 * A throughput bound with the chain around each resource added (the head–body–tail bound of a
 * flow shop): no resource serves a call before the chain brought the first order to it, and the
 * rest of the chain still runs after its last call. Still a lower bound, only a tighter one: it
 * no longer counts the unavoidable start and finish of the pipeline as time lost.
 */
export function chainedBound(bound: LowerBound, edges: Readonly<Record<string, ResourceEdges>>): LowerBound {
  return busiest(
    bound.resources.map((r): ResourceTime => {
      const e = edges[r.key];
      return e ? { ...r, seconds: r.seconds + (e.headMs + e.tailMs) / 1000 } : r;
    }),
  );
}

/** `elapsed / the largest bound`: how far the run is from what the limits and the chain allow. */
export function ratioToLargest(elapsedSeconds: number, boundsSeconds: readonly number[]): number {
  const largest = Math.max(0, ...boundsSeconds);
  return largest > 0 ? elapsedSeconds / largest : Number.POSITIVE_INFINITY;
}
