import type { FastifyInstance } from 'fastify';
import { InvalidCursorError, type OrderRow } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { ordersQuerySchema, poNumberSchema } from './inputs.js';

/** A row for lists: everything but the raw DSCO payload, which can be large. */
function summary(row: OrderRow): Omit<OrderRow, 'payload'> {
  const { payload: _payload, ...rest } = row;
  return rest;
}

export function registerOrderRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/orders', async (request) => {
    const query = parseInput(ordersQuerySchema, request.query, 'query');
    try {
      const page = await ctx.store.orders.search({
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.po ? { poPrefix: query.po } : {}),
        ...(query.cursor ? { after: query.cursor } : {}),
        limit: query.limit,
      });
      return { items: page.items.map(summary), nextCursor: page.nextCursor };
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new HttpError(400, 'invalid query: cursor: not a cursor from this API', [
          { path: 'query.cursor', message: 'not a cursor from this API' },
        ]);
      }
      throw err;
    }
  });

  app.get('/api/orders/:po', async (request) => {
    const po = parseInput(poNumberSchema, (request.params as { po: string }).po, 'params.po');
    const order = await ctx.store.orders.getByPo(po);
    if (!order) throw new HttpError(404, `no order ${po}`);
    return order;
  });
}
