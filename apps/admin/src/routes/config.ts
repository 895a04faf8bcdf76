import type { FastifyInstance } from 'fastify';
import { ConfigError, parseRuntimeConfig } from '@dlsync/config';
import { RuntimeConfigConflictError } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { readLiveConfig } from '../live-config.js';
import { configPutSchema } from './inputs.js';

/** Mapping tables can be large (tens of thousands of SKUs). */
const CONFIG_BODY_LIMIT = 20 * 1024 * 1024;

export function registerConfigRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/config', async () => readLiveConfig(ctx.store));

  app.put('/api/config', { bodyLimit: CONFIG_BODY_LIMIT }, async (request) => {
    const body = parseInput(configPutSchema, request.body, 'body');
    try {
      parseRuntimeConfig(body.config, 'body.config');
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const issues = err.problems.map((p) => ({ path: `config.${p.path}`, message: p.message }));
      throw new HttpError(400, `invalid config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    const user = request.principal?.user ?? 'admin';
    try {
      // The document is stored as written; readers fill in defaults when they parse it.
      const version = await ctx.store.runtimeConfig.save(body.config ?? {}, {
        expectedVersion: body.version,
        updatedBy: `admin:${user}`,
      });
      ctx.logger.info('runtime config saved', { version, user });
      return { version };
    } catch (err) {
      if (err instanceof RuntimeConfigConflictError) {
        const live = await ctx.store.runtimeConfig.latest();
        throw new HttpError(409, `config changed meanwhile: you edited version ${body.version ?? 'none'}, live is ${live?.version ?? 'none'}`, [], {
          liveVersion: live?.version ?? null,
        });
      }
      throw err;
    }
  });
}
