/** Every route of the inventory API lives under this prefix; nothing else does. */
export const INVENTORY_API_PREFIX = '/api/v1/inventory/';

/** The role of partner systems' tokens (`auth.admin.users.<name>: {token, role: inventory}`). */
export const INVENTORY_ROLE = 'inventory';

export type InventoryAccess = { allowed: true } | { refused: string };

/**
 * The inventory API and the admin are separate: an inventory token reaches only the inventory
 * routes (reads and the sync it may ask for), and no other role reaches those. Returns
 * undefined when the admin's own rules decide (neither the route nor the role is the API's).
 * `route` is the pattern Fastify matched (undefined for a 404), never the raw URL.
 */
export function inventoryAccess(role: string, route: string | undefined): InventoryAccess | undefined {
  const apiRoute = route !== undefined && route.startsWith(INVENTORY_API_PREFIX);
  if (apiRoute) return role === INVENTORY_ROLE ? { allowed: true } : { refused: `only ${INVENTORY_ROLE} tokens may call the inventory API` };
  if (role === INVENTORY_ROLE) return { refused: `an ${INVENTORY_ROLE} token may call only ${INVENTORY_API_PREFIX}*` };
  return undefined;
}
