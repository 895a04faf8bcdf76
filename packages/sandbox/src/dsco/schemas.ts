import { z } from 'zod';

const nonEmpty = z.string().min(1);

export const acknowledgeBody = z
  .array(z.object({ id: nonEmpty, type: z.enum(['PO_NUMBER', 'DSCO_ORDER_ID']) }).loose())
  .min(1)
  .max(1000);

const shipmentLine = z
  .object({
    quantity: z.number().int().positive(),
    partnerSku: nonEmpty.optional(),
    sku: nonEmpty.optional(),
    dscoItemId: nonEmpty.optional(),
    lineNumber: z.number().int().positive().optional(),
  })
  .loose()
  .refine((l) => l.partnerSku ?? l.sku ?? l.dscoItemId, { message: 'one of partnerSku, sku or dscoItemId is required' });

const shipment = z
  .object({
    trackingNumber: nonEmpty,
    shipDate: z.iso.datetime({ offset: true }).optional(),
    shipCarrier: z.string().optional(),
    shipMethod: z.string().optional(),
    shippingServiceLevelCode: z.string().optional(),
    lineItems: z.array(shipmentLine).min(1),
  })
  .loose();

export const shipmentBatchBody = z
  .array(z.object({ poNumber: nonEmpty, shipments: z.array(shipment).min(1) }).loose())
  .min(1)
  .max(1000);

const invoiceLine = z
  .object({
    quantity: z.number().int().positive(),
    unitPrice: z.number().nonnegative(),
    partnerSku: nonEmpty.optional(),
    sku: nonEmpty.optional(),
    dscoItemId: nonEmpty.optional(),
    lineNumber: z.number().int().positive().optional(),
  })
  .loose()
  .refine((l) => l.partnerSku ?? l.sku ?? l.dscoItemId, { message: 'one of partnerSku, sku or dscoItemId is required' });

export const invoiceBatchBody = z
  .array(
    z
      .object({
        invoiceId: nonEmpty,
        poNumber: nonEmpty,
        invoiceDate: z.iso.datetime({ offset: true }).optional(),
        currencyCode: z.string().length(3).optional(),
        totalAmount: z.number().nonnegative(),
        lineItems: z.array(invoiceLine).min(1),
      })
      .loose(),
  )
  .min(1)
  .max(1000);

export const inventoryBatchBody = z
  .array(
    z
      .object({
        sku: nonEmpty,
        warehouses: z.array(z.object({ code: nonEmpty, quantity: z.number().int().nonnegative() }).loose()).optional(),
        quantityAvailable: z.number().int().nonnegative().optional(),
      })
      .loose(),
  )
  .min(1)
  .max(1000);

export type AcknowledgeItem = z.infer<typeof acknowledgeBody>[number];
export type ShipmentBatchItem = z.infer<typeof shipmentBatchBody>[number];
export type ShipmentLineInput = ShipmentBatchItem['shipments'][number]['lineItems'][number];
export type InvoiceInput = z.infer<typeof invoiceBatchBody>[number];
export type InventoryInput = z.infer<typeof inventoryBatchBody>[number];

/** Formats zod issues as DSCO-style descriptions: `[0].shipments[0].trackingNumber: Required`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${path.replace(/^\./, '') || 'body'}: ${issue.message}`;
  });
}
