import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { parseInput } from '../errors.js';
import { warehouseRunsQuerySchema, warehouseSyncQuerySchema } from './inputs.js';

/** What sync_stock recorded: its runs and each run's (warehouse, sku) rows. */
export function registerWarehouseSyncRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/warehouse-sync', async (request) => {
    const query = parseInput(warehouseSyncQuerySchema, request.query, 'query');
    return { rows: await ctx.store.warehouseSync.listByRun(query.run_id) };
  });

  app.get('/api/warehouse-sync/runs', async (request) => {
    const query = parseInput(warehouseRunsQuerySchema, request.query, 'query');
    return { runs: await ctx.store.warehouseSync.listRuns({ limit: query.limit }) };
  });
}
