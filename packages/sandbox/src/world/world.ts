import { createHash } from 'node:crypto';
import type { SimClock } from '../clock.js';
import type { ResolvedOptions } from '../options.js';
import { makeRng } from '../rng.js';
import { makeChangeLogReads, type ChangeLogReads } from './change-log-reads.js';
import { makeChangeLogs, type ChangeLogs } from './change-logs.js';
import { makeCatalog, suggestedMapping, type Catalog } from './catalog.js';
import { makeDscoOrders, type DscoOrders } from './dsco-orders.js';
import { makeDscoSide, type DscoSide } from './dsco-side.js';
import { makeLingxingSide, type LingxingSide } from './lingxing-side.js';
import { makeRecorder, type Recorder } from './recorder.js';
import { injectedFailure } from './write-rules.js';
import { creationTimes, DEFAULT_MIX, defaultPlan, generateOrder, toIso, type IdSource, type ScenarioMix } from './seed-orders.js';
import type { DscoLineItem, DscoOrder, DscoShipping, LingxingPlan, ScenarioTag, SuggestedMapping, WorldOrder } from './types.js';

type TimeInput = string | number | Date;

export interface SeedOrdersInput {
  count: number;
  /** (Default: the sandbox seed) */
  seed?: number;
  /** (Default: createdTo − 24 h) */
  createdFrom?: TimeInput;
  /** (Default: min(simulated, wall) − 60 s, so the orders are pullable right away) */
  createdTo?: TimeInput;
  mix?: Partial<ScenarioMix>;
}

export interface SeedSummary {
  count: number;
  firstPoNumber?: string;
  lastPoNumber?: string;
  createdFrom: string;
  createdTo: string;
  byTag: Record<string, number>;
  byStatus: Record<string, number>;
}

/** A hand-crafted order: any top-level field overrides the generated one; shipping/lineItems replace it. */
export type AddOrderInput = Partial<Omit<DscoOrder, 'shipping' | 'lineItems'>> & {
  shipping?: DscoShipping;
  lineItems?: Array<Partial<DscoLineItem>>;
  scenario?: { tags?: ScenarioTag[]; lingxing?: Partial<LingxingPlan> };
};

export interface World {
  catalog: Catalog;
  recorder: Recorder;
  dscoOrders: DscoOrders;
  dsco: DscoSide;
  lingxing: LingxingSide;
  changeLogs: ChangeLogs;
  /** `GET /order/log`, `/invoice/log`, `/inventory/log` over `changeLogs`. */
  changeLogReads: ChangeLogReads;
  seedOrders(input: SeedOrdersInput): SeedSummary;
  addOrder(input?: AddOrderInput): WorldOrder;
  order(poNumber: string): WorldOrder | undefined;
  /** Orders carrying a scenario tag, in creation order. */
  ordersWithTag(tag: ScenarioTag): WorldOrder[];
  suggestedMapping(): SuggestedMapping;
  /** Retailer's Lingxing store ids. */
  storeIds(): Set<string>;
  /** Runs async DSCO work that is due; called on every request and clock advance. */
  tick(): void;
  reset(): void;
}

function toMs(value: TimeInput): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time ${String(value)}`);
  return ms;
}

function count<T extends string>(values: Iterable<T>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) result[value] = (result[value] ?? 0) + 1;
  return result;
}

function makeIds(seed: number): IdSource & { reset(): void } {
  let po = 0;
  let order = 0;
  let item = 0;
  return {
    nextPoNumber: () => `PO${String(1_000_001 + po++)}`,
    nextDscoOrderId: () => String(8_000_000_001 + order++),
    nextDscoItemId: () => String(5_000_000_001 + item++),
    trackingNumber: (poNumber, index) => `1Z${createHash('md5').update(`${seed}|${poNumber}|${index}`).digest('hex').slice(0, 16).toUpperCase()}`,
    reset() {
      po = 0;
      order = 0;
      item = 0;
    },
  };
}

export function makeWorld(options: ResolvedOptions, clock: SimClock): World {
  const now = (): number => clock.now();
  const catalog = makeCatalog(makeRng(`${options.seed}/catalog`));
  const ids = makeIds(options.seed);
  const recorder = makeRecorder(now);
  const dscoOrders = makeDscoOrders();
  const changeLogs = makeChangeLogs(now, () => options.asyncDelayMs, clock.wallNow);
  const changeLogReads = makeChangeLogReads({
    logs: () => changeLogs.all(),
    now,
    scrollTtlMs: options.scrollTtlSeconds * 1000,
    pageSize: () => options.changeLogPageSize,
    apiName: (kind, payload) =>
      kind === 'invoice' ? 'createInvoiceSmallBatch' : kind === 'inventory' ? 'updateInventorySmallBatch' : payload && typeof payload === 'object' && 'shipments' in payload ? 'createShipmentSmallBatch' : 'acknowledgeOrders',
  });
  const failureRng = makeRng(`${options.seed}/async-failures`);
  // DSCO keys inventory by the supplier sku (the line key), never by a retailer's partnerSku.
  const knownSkus = new Set(catalog.skus.map((s) => s.sku));
  const dsco = makeDscoSide({ orders: dscoOrders, changeLogs, recorder, wallNow: clock.wallNow, knownSku: (sku) => knownSkus.has(sku),
    asyncFailure: (what) => injectedFailure(options.asyncFailureRate, () => failureRng.next(), what),
  });
  const plain = defaultPlan(options.fulfilment);
  const lingxing = makeLingxingSide({
    catalog,
    ids,
    now,
    platformCode: options.platformCode,
    planFor: (po) => dscoOrders.get(po)?.scenario.lingxing ?? plain,
  });
  const stores = (): Set<string> => new Set(catalog.retailers.map((r) => r.storeId));
  const register = (order: WorldOrder): void => {
    for (const line of order.order.lineItems) {
      if (line.sku) knownSkus.add(line.sku);
      else if (line.partnerSku) knownSkus.add(line.partnerSku);
    }
    const retailerId = order.order.dscoRetailerId;
    if (!catalog.retailers.some((r) => r.dscoRetailerId === retailerId)) {
      catalog.retailers.push({ dscoRetailerId: retailerId, storeId: String(110_283_406_273_997_000n + BigInt(catalog.retailers.length)), name: `Retailer ${retailerId}` });
    }
  };
  const pullableNow = (): number => Math.min(clock.now(), clock.wallNow());

  const world: World = {
    catalog,
    recorder,
    dscoOrders,
    dsco,
    lingxing,
    changeLogs,
    changeLogReads,
    seedOrders(input) {
      if (!Number.isInteger(input.count) || input.count < 0) throw new RangeError('count must be a non-negative integer');
      const toMsValue = input.createdTo !== undefined ? toMs(input.createdTo) : pullableNow() - 60_000;
      const fromMsValue = input.createdFrom !== undefined ? toMs(input.createdFrom) : toMsValue - 86_400_000;
      if (fromMsValue >= toMsValue) throw new RangeError('createdFrom must be before createdTo');
      const rng = makeRng(`${input.seed ?? options.seed}/orders`);
      const mix = { ...DEFAULT_MIX, ...input.mix };
      const ctx = { rng, catalog, ids, fulfilment: options.fulfilment };
      const created = creationTimes(rng, input.count, fromMsValue, toMsValue).map((createdAtMs): WorldOrder => {
        const { order, scenario } = generateOrder(ctx, createdAtMs, mix);
        return { order, scenario, createdAtMs, updatedAtMs: createdAtMs };
      });
      created.forEach(register);
      dscoOrders.addMany(created);
      return {
        count: created.length,
        firstPoNumber: created[0]?.order.poNumber,
        lastPoNumber: created[created.length - 1]?.order.poNumber,
        createdFrom: toIso(fromMsValue),
        createdTo: toIso(toMsValue),
        byTag: count(created.flatMap((o) => o.scenario.tags)),
        byStatus: count(created.map((o) => o.order.dscoStatus)),
      };
    },
    addOrder(input = {}) {
      const { scenario, shipping, lineItems, ...fields } = input;
      const createdAtMs = fields.dscoCreateDate !== undefined ? toMs(fields.dscoCreateDate) : pullableNow() - 10_000;
      const noMix = Object.fromEntries(Object.keys(DEFAULT_MIX).map((k) => [k, 0])) as unknown as ScenarioMix;
      const base = generateOrder({ rng: makeRng(`${options.seed}/add/${dscoOrders.size()}`), catalog, ids, fulfilment: options.fulfilment }, createdAtMs, noMix);
      const order: DscoOrder = { ...base.order, ...fields, dscoCreateDate: toIso(createdAtMs), dscoLastUpdateDate: toIso(createdAtMs) };
      if (shipping) order.shipping = shipping;
      if (lineItems) {
        order.lineItems = lineItems.map((line, i) => ({ dscoItemId: ids.nextDscoItemId(), lineNumber: i + 1, quantity: 1, status: 'accepted', ...line }));
      }
      const worldOrder: WorldOrder = {
        order,
        scenario: { tags: scenario?.tags ?? ['custom'], lingxing: { ...plain, ...scenario?.lingxing } },
        createdAtMs,
        updatedAtMs: createdAtMs,
      };
      dscoOrders.add(worldOrder);
      register(worldOrder);
      return worldOrder;
    },
    order: (po) => dscoOrders.get(po),
    ordersWithTag: (tag) => dscoOrders.all().filter((o) => o.scenario.tags.includes(tag)),
    suggestedMapping: () => suggestedMapping(catalog),
    storeIds: stores,
    tick: () => changeLogs.processDue(),
    reset() {
      dscoOrders.clear();
      dsco.reset();
      lingxing.reset();
      changeLogs.reset();
      changeLogReads.clear();
      recorder.reset();
      ids.reset();
    },
  };
  clock.onAdvance(() => world.tick());
  return world;
}
