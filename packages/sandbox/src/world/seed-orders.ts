import type { FulfilmentOptions } from '../options.js';
import type { Rng } from '../rng.js';
import type { Catalog } from './catalog.js';
import type { CatalogSku, DscoLineItem, DscoOrder, DscoShipping, Scenario, ScenarioTag } from './types.js';

/** Probability of each optional scenario per generated order. */
export interface ScenarioMix {
  cancelled: number;
  already_shipped: number;
  acknowledged: number;
  missing_price: number;
  fallback_price: number;
  unmapped_sku: number;
  split_order: number;
  split_shipment: number;
  missing_address: number;
  address_array: number;
  first_last_name: number;
  requested_warehouse_only: number;
  stock_delivered_only: number;
}

export const DEFAULT_MIX: ScenarioMix = {
  cancelled: 0.05,
  already_shipped: 0.05,
  acknowledged: 0.05,
  missing_price: 0.03,
  fallback_price: 0.1,
  unmapped_sku: 0.05,
  split_order: 0.08,
  split_shipment: 0.08,
  missing_address: 0.03,
  address_array: 0.08,
  first_last_name: 0.15,
  requested_warehouse_only: 0.05,
  stock_delivered_only: 0.05,
};

/** Source of unique identifiers, owned by the world so repeated seeding never collides. */
export interface IdSource {
  nextPoNumber(): string;
  nextDscoOrderId(): string;
  nextDscoItemId(): string;
  trackingNumber(poNumber: string, index: number): string;
}

export interface GenerateContext {
  rng: Rng;
  catalog: Catalog;
  ids: IdSource;
  fulfilment: FulfilmentOptions;
}

const FIRST_NAMES = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mateo', 'Sophia', 'Wei', 'Priya', 'Jamal'];
const LAST_NAMES = ['Smith', 'Garcia', 'Chen', 'Johnson', 'Patel', 'Nguyen', 'Brown', 'Okafor', 'Kim', 'Müller'];
const STREETS = ['Maple Ave', 'Oak St', 'Sunset Blvd', 'Main St', 'Lakeview Dr', 'Cedar Ln', 'Elm Ct'];
const CITIES: Array<[string, string, string]> = [
  ['Newark', 'NJ', '07102'],
  ['Austin', 'TX', '78701'],
  ['San Jose', 'CA', '95113'],
  ['Columbus', 'OH', '43215'],
  ['Seattle', 'WA', '98101'],
  ['Miami', 'FL', '33130'],
];

/** A retailer's own code for a supplier sku (DSCO's partnerSku): never equal to the sku itself. */
export function retailerSku(dscoRetailerId: string, sku: string): string {
  return `R${dscoRetailerId.slice(-3)}-${sku.replace(/^[A-Z]+-/, '')}`;
}

export function toIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function defaultPlan(fulfilment: FulfilmentOptions): Scenario['lingxing'] {
  return { splitOrder: false, splitShipment: false, deliveredAtEmpty: false, ...fulfilment };
}

function makeShipping(rng: Rng, tags: Set<ScenarioTag>): DscoShipping {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const [city, state, postal] = rng.pick(CITIES);
  const street = `${rng.int(1, 9999)} ${rng.pick(STREETS)}`;
  const shipping: DscoShipping = {
    firstName,
    lastName,
    city,
    state,
    postal,
    country: 'US',
    phone: `+1-555-${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`,
    email: `${firstName}.${lastName}@example.com`.toLowerCase(),
  };
  if (!tags.has('first_last_name')) shipping.name = `${firstName} ${lastName}`;
  if (rng.chance(0.3)) shipping.region = state;
  if (tags.has('address_array')) shipping.address = [street, `Apt ${rng.int(1, 40)}`];
  else shipping.address1 = street;
  if (tags.has('missing_address')) {
    const missing = rng.pick(['city', 'postal', 'state'] as const);
    delete shipping[missing];
    if (missing === 'state') delete shipping.region;
  }
  return shipping;
}

function priceFields(rng: Rng, sku: CatalogSku, mode: 'full' | 'fallback' | 'none'): Partial<DscoLineItem> {
  const cents = sku.basePriceCents;
  if (mode === 'none') return {};
  if (mode === 'fallback') {
    return rng.chance(0.5) ? { retailPrice: cents / 100 } : { expectedCost: Math.round(cents * 0.6) / 100 };
  }
  const fields: Partial<DscoLineItem> = {
    consumerPrice: cents / 100,
    retailPrice: cents / 100,
    expectedCost: Math.round(cents * 0.6) / 100,
  };
  if (rng.chance(0.4)) fields.consumerPriceWithTax = Math.round(cents * 1.0825) / 100;
  return fields;
}

function pickTags(rng: Rng, mix: ScenarioMix): Set<ScenarioTag> {
  const tags = new Set<ScenarioTag>();
  const roll = rng.next();
  if (roll < mix.cancelled) tags.add('cancelled');
  else if (roll < mix.cancelled + mix.already_shipped) tags.add('already_shipped');
  else if (roll < mix.cancelled + mix.already_shipped + mix.acknowledged) tags.add('acknowledged');
  const optional: Array<Exclude<keyof ScenarioMix, 'cancelled' | 'already_shipped' | 'acknowledged'>> = [
    'missing_price',
    'fallback_price',
    'unmapped_sku',
    'split_order',
    'split_shipment',
    'missing_address',
    'address_array',
    'first_last_name',
    'requested_warehouse_only',
    'stock_delivered_only',
  ];
  for (const tag of optional) if (rng.chance(mix[tag])) tags.add(tag);
  return tags;
}

function lineCount(rng: Rng): number {
  const roll = rng.next();
  return roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3;
}

/** Builds one realistic order created at `createdAtMs`. */
export function generateOrder(ctx: GenerateContext, createdAtMs: number, mix: ScenarioMix): { order: DscoOrder; scenario: Scenario } {
  const { rng, catalog, ids } = ctx;
  const tags = pickTags(rng, mix);
  const retailer = rng.pick(catalog.retailers);
  const warehouse = rng.pick(catalog.warehouses);
  const level = rng.pick(catalog.serviceLevels);
  let lines = lineCount(rng);
  if (tags.has('split_order') && lines < 2) lines = 2;
  const mapped = catalog.skus.filter((s) => s.mapped);
  const unmapped = catalog.skus.filter((s) => !s.mapped);
  const unmappedLine = tags.has('unmapped_sku') ? rng.int(0, lines - 1) : -1;
  const missingPriceLine = tags.has('missing_price') ? rng.int(0, lines - 1) : -1;
  const status = tags.has('cancelled') ? 'cancelled' : tags.has('already_shipped') ? 'shipped' : 'accepted';
  const lineItems: DscoLineItem[] = [];
  for (let i = 0; i < lines; i += 1) {
    const sku = i === unmappedLine ? rng.pick(unmapped) : rng.pick(mapped);
    const qtyRoll = rng.next();
    const quantity = qtyRoll < 0.7 ? 1 : qtyRoll < 0.9 ? 2 : 3;
    const mode = i === missingPriceLine ? 'none' : tags.has('fallback_price') ? 'fallback' : 'full';
    lineItems.push({
      // The supplier sku is the catalog's; the retailer's partnerSku differs (its own code for it).
      sku: sku.sku,
      partnerSku: retailerSku(retailer.dscoRetailerId, sku.sku),
      dscoItemId: ids.nextDscoItemId(),
      lineNumber: i + 1,
      quantity,
      title: sku.title,
      ...priceFields(rng, sku, mode),
      status,
    });
  }
  const first = lineItems[0];
  if (tags.has('split_shipment') && lines === 1 && first && first.quantity < 2) first.quantity = 2;
  if (lines > 1) tags.add('multi_line');
  if (lineItems.some((l) => l.quantity > 1)) tags.add('multi_quantity');

  const createDate = toIso(createdAtMs);
  const poNumber = ids.nextPoNumber();
  const order: DscoOrder = {
    poNumber,
    dscoOrderId: ids.nextDscoOrderId(),
    dscoRetailerId: retailer.dscoRetailerId,
    dscoSupplierId: '1000099001',
    dscoStatus: tags.has('cancelled') ? 'cancelled' : tags.has('already_shipped') ? 'shipped' : tags.has('acknowledged') ? 'shipment_pending' : 'created',
    dscoLifecycle:
      tags.has('cancelled') || tags.has('already_shipped') ? 'completed' : tags.has('acknowledged') ? 'acknowledged' : rng.chance(0.3) ? 'received' : 'created',
    dscoCreateDate: createDate,
    dscoLastUpdateDate: createDate,
    requestedWarehouseCode: warehouse.code,
    shippingServiceLevelCode: level.code,
    shipCarrier: level.carrier,
    requestedShipMethod: level.method,
    currencyCode: 'USD',
    consumerOrderNumber: `C${poNumber.replace(/\D/g, '')}`,
    shipping: makeShipping(rng, tags),
    lineItems,
  };
  if (!tags.has('requested_warehouse_only')) order.shipWarehouseCode = warehouse.code;
  if (rng.chance(0.5)) order.shipMethod = level.method;
  if (rng.chance(0.2)) order.message = 'Please leave at the front door.';
  if (tags.has('already_shipped')) {
    order.packages = [
      {
        trackingNumber: ids.trackingNumber(poNumber, 0),
        shipDate: toIso(createdAtMs + 3_600_000),
        shipCarrier: level.carrier,
        shipMethod: level.method,
        items: lineItems.map((l) => ({ dscoItemId: l.dscoItemId, lineNumber: l.lineNumber, partnerSku: l.partnerSku, quantity: l.quantity })),
      },
    ];
  }
  const special = [...tags].filter((t) => t !== 'multi_line' && t !== 'multi_quantity');
  if (special.length === 0) tags.add('normal');
  const lingxing = {
    ...defaultPlan(ctx.fulfilment),
    splitOrder: tags.has('split_order'),
    splitShipment: tags.has('split_shipment'),
    deliveredAtEmpty: tags.has('stock_delivered_only'),
  };
  return { order, scenario: { tags: [...tags], lingxing } };
}

/** Sorted creation times (whole seconds) spread uniformly over [fromMs, toMs). */
export function creationTimes(rng: Rng, count: number, fromMs: number, toMs: number): number[] {
  const span = Math.max(1000, toMs - fromMs);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push(Math.floor((fromMs + rng.next() * span) / 1000) * 1000);
  return times.sort((a, b) => a - b);
}
