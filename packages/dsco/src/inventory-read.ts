import { z } from 'zod';

/** DSCO's ItemInventory as `GET /inventory` returns it, as far as dlsync reads it. */
export const dscoItemInventorySchema = z.looseObject({
  sku: z.string().optional(),
  quantityAvailable: z.number().nullish(),
  warehouses: z
    .array(z.looseObject({ code: z.string(), quantity: z.number().int().nullish() }))
    .nullish()
    .transform((w) => w ?? []),
});
export type DscoItemInventoryRead = z.output<typeof dscoItemInventorySchema>;

/** What DSCO holds per warehouse code (null where it has no quantity). */
export function quantitiesByWarehouse(item: DscoItemInventoryRead): Map<string, number | null> {
  return new Map(item.warehouses.map((w) => [w.code, w.quantity ?? null]));
}
