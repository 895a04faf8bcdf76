// DSCO's order as the client hands it on: read leniently, field by field, so one odd field can
// never hide a whole order. Only `poNumber` (a non-empty string) is required for an order to be
// returned at all; every other known field reads as undefined when absent or of the wrong type,
// and fields DSCO adds over time are kept as they came. Consumers decide what "missing" means.
// Written out by hand rather than as a schema: every order of every page passes through here,
// and a schema library's per-field result objects made this the pull's largest allocation.

/** The shipping fields dlsync reads, each optional. */
export interface DscoShippingFields {
  name?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  address?: string[];
  address1?: string;
  address2?: string;
  city?: string;
  region?: string;
  state?: string;
  postal?: string;
  country?: string;
  phone?: string;
  email?: string;
}

/** The line-item fields dlsync reads, each optional. */
export interface DscoLineItemFields {
  sku?: string;
  partnerSku?: string;
  dscoItemId?: string;
  lineNumber?: number;
  quantity?: number;
  consumerPrice?: number;
  consumerPriceWithTax?: number;
  retailPrice?: number;
  expectedCost?: number;
  status?: string;
}

/** The order's own text fields dlsync reads, each optional. */
export interface DscoOrderTextFields {
  dscoOrderId?: string;
  dscoRetailerId?: string;
  /** created | shipment_pending | shipped | cancelled (kept as any string: DSCO may add more). */
  dscoStatus?: string;
  /** received | created | acknowledged | completed. */
  dscoLifecycle?: string;
  /** RFC3339; not validated here. */
  dscoCreateDate?: string;
  shipWarehouseCode?: string;
  requestedWarehouseCode?: string;
  shippingServiceLevelCode?: string;
  shipCarrier?: string;
  shipMethod?: string;
  requestedShipMethod?: string;
  currencyCode?: string;
  message?: string;
}

export interface DscoShipping extends DscoShippingFields {
  [field: string]: unknown;
}

export interface DscoLineItem extends DscoLineItemFields {
  [field: string]: unknown;
}

export interface DscoOrder extends DscoOrderTextFields {
  poNumber: string;
  shipping?: DscoShipping;
  /** Undefined when it is not a list of objects. */
  lineItems?: DscoLineItem[];
  [field: string]: unknown;
}

/** The text fields of {@link DscoOrderTextFields}, in the order they are read. */
export const DSCO_ORDER_TEXT_FIELDS = [
  'dscoOrderId', 'dscoRetailerId', 'dscoStatus', 'dscoLifecycle', 'dscoCreateDate', 'shipWarehouseCode', 'requestedWarehouseCode',
  'shippingServiceLevelCode', 'shipCarrier', 'shipMethod', 'requestedShipMethod', 'currencyCode', 'message',
] as const satisfies readonly (keyof DscoOrderTextFields)[];

type Fields = Record<string, unknown>;

const SHIPPING_TEXT = ['name', 'firstName', 'lastName', 'company', 'address1', 'address2', 'city', 'region', 'state', 'postal', 'country', 'phone', 'email'] as const;
const LINE_TEXT = ['sku', 'partnerSku', 'dscoItemId', 'status'] as const;
const LINE_NUMBERS = ['lineNumber', 'quantity', 'consumerPrice', 'consumerPriceWithTax', 'retailPrice', 'expectedCost'] as const;

const isFields = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `fields` of `target` read by `read`, each set only when the source has the key (no undefined keys added). */
function readInto(target: Fields, source: Fields, fields: readonly string[], read: (v: unknown) => unknown): void {
  for (const key of fields) if (key in source) target[key] = read(source[key]);
}

function readShipping(raw: unknown): DscoShipping | undefined {
  if (!isFields(raw)) return undefined;
  const shipping: DscoShipping = { ...raw };
  readInto(shipping, raw, SHIPPING_TEXT, text);
  if ('address' in raw) shipping.address = Array.isArray(raw.address) && raw.address.every((l) => typeof l === 'string') ? (raw.address as string[]) : undefined;
  return shipping;
}

function readLines(raw: unknown): DscoLineItem[] | undefined {
  if (!Array.isArray(raw) || !raw.every(isFields)) return undefined;
  return raw.map((source: Fields) => {
    const line: DscoLineItem = { ...source };
    readInto(line, source, LINE_TEXT, text);
    readInto(line, source, LINE_NUMBERS, num);
    return line;
  });
}

/** The order, or undefined when `raw` is not an object with a non-empty string `poNumber`. */
export function readDscoOrder(raw: unknown): DscoOrder | undefined {
  if (!isFields(raw) || typeof raw.poNumber !== 'string' || raw.poNumber === '') return undefined;
  const order: DscoOrder = { ...raw, poNumber: raw.poNumber };
  readInto(order, raw, DSCO_ORDER_TEXT_FIELDS, text);
  if ('shipping' in raw) order.shipping = readShipping(raw.shipping);
  if ('lineItems' in raw) order.lineItems = readLines(raw.lineItems);
  return order;
}
