import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { registerConsoleApi } from './console-api.js';
import { registerConsolePages } from './console-pages.js';

/**
 * The operations console: its JSON API (which also serves the former GET /api/orders and
 * GET /api/orders/:po, as supersets) and its server-rendered pages.
 */
export function registerConsole(app: FastifyInstance, ctx: AdminContext): void {
  registerConsoleApi(app, ctx);
  registerConsolePages(app, ctx);
}
