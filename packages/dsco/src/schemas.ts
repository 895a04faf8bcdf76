import { z } from 'zod';

// Every object schema is loose: DSCO adds fields over time and raw payloads are stored as-is.

/**
 * A field that never fails its parent: a value of the wrong type reads as undefined, so one
 * odd field cannot hide a whole order. Consumers decide what "missing" means for them.
 */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

const text = lenient(z.string());
const num = lenient(z.number());

export const dscoMessageSchema = z.looseObject({
  code: text,
  severity: text,
  description: text,
});

export const dscoShippingSchema = z.looseObject({
  name: text,
  firstName: text,
  lastName: text,
  company: text,
  address: lenient(z.array(z.string())),
  address1: text,
  address2: text,
  city: text,
  region: text,
  state: text,
  postal: text,
  country: text,
  phone: text,
  email: text,
});

export const dscoLineItemSchema = z.looseObject({
  sku: text,
  partnerSku: text,
  dscoItemId: text,
  lineNumber: num,
  quantity: num,
  consumerPrice: num,
  consumerPriceWithTax: num,
  retailPrice: num,
  expectedCost: num,
  status: text,
});

/**
 * A DSCO order, parsed leniently: only `poNumber` (a non-empty string) is required for an
 * order to be returned at all; every other field is optional and reads as undefined when
 * absent or of the wrong type. The pull task decides per order what counts as malformed.
 */
export const dscoOrderSchema = z.looseObject({
  poNumber: z.string().min(1),
  dscoOrderId: text,
  dscoRetailerId: text,
  /** created | shipment_pending | shipped | cancelled (kept as any string: DSCO may add more). */
  dscoStatus: text,
  /** received | created | acknowledged | completed. */
  dscoLifecycle: text,
  /** RFC3339; not validated here. */
  dscoCreateDate: text,
  shipWarehouseCode: text,
  requestedWarehouseCode: text,
  shippingServiceLevelCode: text,
  shipCarrier: text,
  shipMethod: text,
  requestedShipMethod: text,
  currencyCode: text,
  message: text,
  shipping: lenient(dscoShippingSchema),
  lineItems: lenient(z.array(dscoLineItemSchema)),
});

export type DscoOrder = z.output<typeof dscoOrderSchema>;
export type DscoLineItem = z.output<typeof dscoLineItemSchema>;
export type DscoShipping = z.output<typeof dscoShippingSchema>;

/** `GET /order/page`: orders stay unparsed here so each is judged on its own. */
export const orderPageSchema = z.looseObject({
  scrollId: z.string().nullish(),
  orders: z.array(z.unknown()),
});

/** 202 body of the async batch endpoints and acknowledge. */
export const asyncAcceptedSchema = z.looseObject({
  status: z.string(),
  requestId: z.string().optional(),
  eventDate: z.string().optional(),
  messages: z.array(dscoMessageSchema).optional(),
});
export type DscoAsyncAccepted = z.output<typeof asyncAcceptedSchema>;

export const dscoInvoiceRecordSchema = z.looseObject({
  invoiceId: text,
  poNumber: text,
  invoiceDate: text,
  currencyCode: text,
  totalAmount: num,
  /** DSCO's comparison with the retailer's cost: invoice total − expected total. */
  dscoExpectedOrderTotalDifference: num,
});
export type DscoInvoiceRecord = z.output<typeof dscoInvoiceRecordSchema>;

export const invoiceListSchema = z.looseObject({
  invoices: z.array(dscoInvoiceRecordSchema),
});

export const changeLogSchema = z.looseObject({
  /** PROCESSING | COMPLETED. */
  status: z.string(),
  requestId: z.string().optional(),
  logs: z
    .array(
      z.looseObject({
        /** pending | success | failure. */
        status: z.string().optional(),
        results: z.array(z.unknown()).optional(),
      }),
    )
    .default([]),
});
export type DscoChangeLog = z.output<typeof changeLogSchema>;

export const oauthTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});
