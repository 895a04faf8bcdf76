import { z } from 'zod';

// Requests of every DSCO v3 endpoint dlsync calls, written from DSCO's OpenAPI reference.
// Objects are strict over the reference's own property names: a field the reference does not
// define is an unknown field (recorded as a violation), while a wrong type, a missing required
// field or a value out of range is refused with DSCO's 400 `{messages: [...]}`. Properties
// dlsync never sends are accepted with any value; the ones it sends carry their types.

/**
 * A strict object over `names` (every property the reference defines for it), with `typed`
 * giving the schema of the properties that are checked.
 */
function known<T extends z.ZodRawShape>(names: string, typed: T): z.ZodObject<T, z.core.$strict> {
  const rest = Object.fromEntries(
    names
      .split(/\s+/)
      .filter((n) => n !== '' && !(n in typed))
      .map((n) => [n, z.unknown().optional()]),
  );
  // Typed as `typed` only: the other properties are accepted but never read.
  return z.strictObject({ ...rest, ...typed }) as unknown as z.ZodObject<T, z.core.$strict>;
}

const str = z.string();
const nonEmpty = z.string().min(1);
const int = z.number().int();
const dateTime = z.iso.datetime({ offset: true });

const ackItem = known('id type supplierOrderNumber poAcknowledgement', {
  id: z.union([nonEmpty, int]),
  type: z.enum(['DSCO_ORDER_ID', 'PO_NUMBER', 'SUPPLIER_ORDER_NUMBER']),
  supplierOrderNumber: str.optional(),
});

/** `POST /order/acknowledge`: an array of OrderId. */
export const acknowledgeBody = z.array(ackItem).min(1);

const ITEM_IDS = ['dscoItemId', 'sku', 'partnerSku', 'upc', 'ean', 'mpn', 'isbn', 'gtin'] as const;
const hasItemId = (line: Partial<Record<(typeof ITEM_IDS)[number], unknown>>): boolean => ITEM_IDS.some((k) => line[k] !== undefined);
const itemIdMessage = { message: `one of ${ITEM_IDS.join(', ')} is required to identify the line` };

const shipmentLine = known(
  'lineNumber quantity dscoItemId sku partnerSku upc gtin isbn mpn ean departmentId departmentName merchandisingAccountId merchandisingAccountName packageSpanFlag retailerItemIds serialNumbers title titleI18n notes',
  {
    lineNumber: int.optional(),
    quantity: int.positive(),
    dscoItemId: nonEmpty.optional(),
    sku: nonEmpty.optional(),
    partnerSku: nonEmpty.max(90).optional(),
    packageSpanFlag: z.boolean().optional(),
  },
).refine(hasItemId, itemIdMessage);

const shipment = known(
  'lineItems numberOfLineItems carrierManifestId referenceNumberQualifier shipFrom shipTo trackingNumber trackingUrl shipCost shipDate currencyCode shipCarrier shipMethod shippingServiceLevelCode shipWeight shipWeightUnits warehouseCode warehouseRetailerCode warehouseDscoId ssccBarcode transactionId transactionDate untracked vendorInvoiceNumber balanceDue transaction packageDetails',
  {
    lineItems: z.array(shipmentLine).min(1),
    trackingNumber: nonEmpty,
    shipDate: dateTime.optional(),
    shipCarrier: str.optional(),
    shipMethod: str.optional(),
    shippingServiceLevelCode: str.optional(),
    warehouseCode: str.optional(),
  },
);

const shipmentsForUpdate = known('dscoOrderId poNumber supplierOrderNumber shipments', {
  dscoOrderId: str.optional(),
  poNumber: nonEmpty,
  supplierOrderNumber: str.optional(),
  shipments: z.array(shipment).min(1),
});

/** `POST /order/shipment/batch/small`: an array of ShipmentsForUpdate. */
export const shipmentBatchBody = z.array(shipmentsForUpdate).min(1);

const money = z.number().finite();

const invoiceLine = known(
  'dscoItemId sku upc ean mpn isbn gtin partnerSku lineNumber title titleI18n unitPrice basisOfUnitPrice quantity unitOfMeasure extendedAmount handlingAmount shipDate trackingNumber shipAmount shipCarrier shipMethod shippingServiceLevelCode promotionReference promotionAmount taxAmount subtotal expectedAmount expectedDifference dscoPackageId shipWeight shipWeightUnits warehouseCode warehouseRetailerCode warehouseDscoId ssccBarcode dscoExpectedAmount dscoExpectedDifference originalLineNumber originalOrderQuantity departmentId departmentName merchandisingAccountId merchandisingAccountName dscoOriginalOrderRetailerCreateDate requestedWarehouseCode requestedWarehouseRetailerCode requestedWarehouseDscoId retailerItemIds retailerLineId msrp shipReferenceNumberQualifier shipTransportationMethodCode shipUnitOfMeasure shipUnitOfMeasurementCode carrierManifestId storeNumber serialNumbers carbCertifierId carbFormaldehydeComplianceCode amountOfSalesTaxCollected taxableAmountOfSale taxes',
  {
    dscoItemId: nonEmpty.optional(),
    sku: nonEmpty.optional(),
    partnerSku: nonEmpty.max(90).optional(),
    lineNumber: int.optional(),
    unitPrice: money.nonnegative(),
    quantity: int.positive(),
  },
).refine(hasItemId, itemIdMessage);

const invoice = known(
  'invoiceId dscoOrderId poNumber supplierOrderNumber invoiceDate currencyCode totalAmount lineItemsSubtotal subtotalExcludingLineItems numberOfLineItems handlingAmount freightAmount salesTaxAmount buyerId sellerId sellerInvoiceNumber consumerOrderNumber externalBatchId expectedOrderTotalAmount expectedOrderTotalDifference charges terms shipFrom shipTo buyer remitTo seller ship credits taxes lineItems dscoInvoiceId dscoExpectedOrderTotalAmount dscoExpectedOrderTotalDifference dscoSupplierId dscoRetailerId dscoTradingPartnerId dscoTradingPartnerName dscoTradingPartnerParentId requestedWarehouseCode requestedWarehouseRetailerCode requestedWarehouseDscoId exportDate createDate lastUpdate originId flsaComplianceFlag orderType amountOfSalesTaxCollected taxableAmountOfSale',
  {
    invoiceId: nonEmpty,
    // The reference requires only invoiceId and totalAmount; the sandbox ties invoices to orders by PO.
    poNumber: nonEmpty,
    invoiceDate: dateTime.optional(),
    currencyCode: z.string().length(3).optional(),
    totalAmount: money.nonnegative(),
    lineItems: z.array(invoiceLine).min(1),
  },
);

/** `POST /invoice/batch/small`: an array of Invoice. */
export const invoiceBatchBody = z.array(invoice).min(1);

const warehouse = known('code dscoId retailerCode retailerCodes quantity quantityOnOrder cost status estimatedAvailabilityDate inventoryByContext', {
  code: nonEmpty,
  quantity: int.nonnegative().optional(),
});

const INVENTORY_STATUSES = ['in-stock', 'out-of-stock', 'discontinued', 'hidden'] as const;

const itemInventory = known(
  'sku dscoItemId upc departmentId ean mpn isbn gtin partnerSku partnerSkuMap assortments warehouses quantityAvailable cost listingPrices msrp retailModelRules status estimatedAvailabilityDate quantityOnOrder currencyCode backstop title titleI18n brand brandI18n dscoSupplierId dscoSupplierName dscoTradingPartnerId dscoTradingPartnerName dscoTradingPartnerParentId dscoCreateDate dscoLastQuantityUpdateDate dscoLastCostUpdateDate dscoLastUpdateDate inventoryByContext activeFulfillmentModel requestedFulfillmentModels retailerOwnedAttributes',
  {
    sku: nonEmpty,
    warehouses: z.array(warehouse),
    quantityAvailable: int.nonnegative().optional(),
    // The reference: "Rithum requires that each item include a status and a quantity".
    status: z.enum(INVENTORY_STATUSES),
  },
).refine((i) => i.quantityAvailable !== undefined || i.warehouses.some((w) => w.quantity !== undefined), {
  message: 'a quantity is required: quantityAvailable or warehouses[].quantity',
});

/** `POST /inventory/batch/small`: an array of ItemInventory. */
export const inventoryBatchBody = z.array(itemInventory).min(1);

/** Query parameters: every value arrives as a string; repeated ones as several entries. */
const flag = z.enum(['true', 'false']);
const queryDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date-time');
const CHANGE_LOG_STATUSES = ['pending', 'success', 'failure', 'success_or_failure'] as const;

/** Allowed query parameters per endpoint (`METHOD /path`), from the reference; all optional unless stated. */
export const QUERY_SCHEMAS: Record<string, z.ZodType<Record<string, string | string[]>>> = {
  'GET /order/page': z.strictObject({
    scrollId: str.optional(),
    consumerOrderNumber: str.optional(),
    ordersCreatedSince: queryDateTime.optional(),
    ordersUpdatedSince: queryDateTime.optional(),
    until: queryDateTime.optional(),
    status: z.array(z.enum(['created', 'shipment_pending', 'shipped', 'cancelled'])).optional(),
    includeTestOrders: flag.optional(),
    returnedOnly: flag.optional(),
    ordersPerPage: z
      .string()
      .refine((s) => /^\d+$/.test(s) && Number(s) >= 10 && Number(s) <= 1000, 'ordersPerPage must be an integer between 10 and 1000')
      .optional(),
  }),
  'GET /order/': z.strictObject({
    orderKey: z.enum(['dscoOrderId', 'poNumber', 'supplierOrderNumber']),
    value: nonEmpty,
    dscoAccountId: str.optional(),
    dscoTradingPartnerId: str.optional(),
    returnMultiple: flag.optional(),
  }),
  'GET /invoice': z.strictObject({
    key: z.enum(['dscoInvoiceId', 'invoiceId', 'poNumber', 'supplierOrderNumber', 'consumerOrderNumber', 'trackingNumber']),
    value: nonEmpty,
  }),
  'POST /inventory/batch/small': z.strictObject({ skipItemsThatDontExist: flag.optional() }),
  'POST /order/acknowledge': z.strictObject({}),
  'POST /order/shipment/batch/small': z.strictObject({}),
  'POST /invoice/batch/small': z.strictObject({}),
  ...Object.fromEntries(
    ['GET /order/log', 'GET /invoice/log', 'GET /inventory/log'].map((endpoint) => [
      endpoint,
      z.strictObject({
        scrollId: str.optional(),
        startDate: queryDateTime.optional(),
        endDate: queryDateTime.optional(),
        requestId: str.optional(),
        status: z.enum(CHANGE_LOG_STATUSES).optional(),
      }),
    ]),
  ),
};

/** `POST /oauth2/token` form fields. */
export const oauthTokenForm = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: nonEmpty,
  client_secret: nonEmpty,
  scope: str.optional(),
});

/** Query parameters as an object; the `repeated` ones (order page `status`) as arrays. */
export function queryObject(query: URLSearchParams, repeated: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) out[key] = repeated.includes(key) ? query.getAll(key) : (query.get(key) ?? '');
  return out;
}

export type AcknowledgeItem = z.infer<typeof acknowledgeBody>[number];
export type ShipmentBatchItem = z.infer<typeof shipmentBatchBody>[number];
export type ShipmentLineInput = ShipmentBatchItem['shipments'][number]['lineItems'][number];
export type InvoiceInput = z.infer<typeof invoiceBatchBody>[number];
export type InventoryInput = z.infer<typeof inventoryBatchBody>[number];

/** Formats zod issues as DSCO-style descriptions: `[0].shipments[0].trackingNumber: Required`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${path.replace(/^\./, '') || 'body'}: ${issue.message}`;
  });
}
