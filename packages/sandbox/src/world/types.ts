/** DSCO order status (SPEC §7). */
export type DscoStatus = 'created' | 'shipment_pending' | 'shipped' | 'cancelled';
export type DscoLifecycle = 'received' | 'created' | 'acknowledged' | 'completed';

export interface DscoShipping {
  name?: string;
  firstName?: string;
  lastName?: string;
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

export interface DscoLineItem {
  sku?: string;
  partnerSku?: string;
  dscoItemId: string;
  lineNumber: number;
  quantity: number;
  title?: string;
  consumerPrice?: number;
  consumerPriceWithTax?: number;
  retailPrice?: number;
  expectedCost?: number;
  status: string;
}

/** A package DSCO recorded from a shipment call. */
export interface DscoPackage {
  trackingNumber: string;
  shipDate?: string;
  shipCarrier?: string;
  shipMethod?: string;
  items: Array<{ dscoItemId: string; lineNumber: number; partnerSku?: string; quantity: number }>;
}

/** The DSCO order as the API returns it (SPEC §7, plus a few fields the real API also has). */
export interface DscoOrder {
  poNumber: string;
  dscoOrderId: string;
  dscoRetailerId: string;
  dscoSupplierId: string;
  dscoStatus: DscoStatus;
  dscoLifecycle: DscoLifecycle;
  dscoCreateDate: string;
  dscoLastUpdateDate: string;
  shipWarehouseCode?: string;
  requestedWarehouseCode?: string;
  shippingServiceLevelCode?: string;
  shipCarrier?: string;
  shipMethod?: string;
  requestedShipMethod?: string;
  currencyCode: string;
  message?: string;
  consumerOrderNumber?: string;
  /** Set by an acknowledge that carries one (dlsync: the Lingxing global order number). */
  supplierOrderNumber?: string;
  shipping: DscoShipping;
  lineItems: DscoLineItem[];
  packages?: DscoPackage[];
}

/** Labels describing what makes an order interesting; tests pick orders by them. */
export const SCENARIO_TAGS = [
  'normal',
  'cancelled',
  'already_shipped',
  'acknowledged',
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
  'multi_line',
  'multi_quantity',
  'custom',
] as const;
export type ScenarioTag = (typeof SCENARIO_TAGS)[number];

/** How Lingxing will treat the order once it is pushed. */
export interface LingxingPlan {
  /** Split into two sub-orders (two global_order_no) when it has at least two lines. */
  splitOrder: boolean;
  /** Ship in two outbound records with different tracking numbers, the second later. */
  splitShipment: boolean;
  /** Outbound records carry delivered_at "" and only stock_delivered_at. */
  deliveredAtEmpty: boolean;
  toShipAfterSeconds: number;
  shipAfterSeconds: number;
  secondShipmentAfterSeconds: number;
}

/** The hidden record of why an order looks the way it does. */
export interface Scenario {
  tags: ScenarioTag[];
  lingxing: LingxingPlan;
}

export interface WorldOrder {
  order: DscoOrder;
  scenario: Scenario;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface Retailer {
  dscoRetailerId: string;
  storeId: string;
  name: string;
}

export interface Warehouse {
  code: string;
  wid: string;
  name: string;
}

export interface CatalogSku {
  /** The supplier's own sku: DSCO line `sku`, the line key, mapping.sku key, inventory key and Lingxing msku. */
  sku: string;
  /** Lingxing local sku; equals sku when Lingxing knows it under the same code. */
  localSku: string;
  title: string;
  /** Present in the suggested mapping.sku. */
  mapped: boolean;
  /** Paired in Lingxing (returned by getPairList). */
  paired: boolean;
  basePriceCents: number;
}

export interface ServiceLevel {
  code: string;
  carrier: string;
  method: string;
}

/** A runtime_config mapping block (SPEC §4). */
export interface SuggestedMapping {
  shop: Record<string, string>;
  warehouse: Record<string, string>;
  sku: Record<string, string>;
  shipment: Record<string, string>;
}
