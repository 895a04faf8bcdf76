import { z } from 'zod';
import { readDscoOrder, type DscoOrder } from './order-reader.js';

export type { DscoOrder, DscoLineItem, DscoShipping } from './order-reader.js';

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

/**
 * A DSCO order as a response schema (`GET /order/`), read by {@link readDscoOrder}: only a
 * non-empty string `poNumber` is required, every other field is lenient.
 */
export const dscoOrderSchema = z.unknown().transform((raw, ctx): DscoOrder => {
  const order = readDscoOrder(raw);
  if (order) return order;
  ctx.addIssue({ code: 'custom', message: 'an order needs a non-empty string poNumber', path: ['poNumber'] });
  return z.NEVER;
});

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
