import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AdminContext } from '../context.js';

/** A readiness probe that hangs is as bad as one that fails. */
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return (err as Error).message || 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process answers. `/readyz`: Postgres and Redis answer too (503 naming which
 * did not). Driver errors name hosts and ports, so only a signed-in caller sees them; anyone
 * else (a public probe) reads `unavailable`.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (request, reply) => {
    const [postgres, redis] = await Promise.all([
      probe(() => sql`SELECT 1`.execute(ctx.store.db)),
      probe(() => ctx.redis.ping()),
    ]);
    const ok = postgres === 'ok' && redis === 'ok';
    const shown = (result: string) => (result === 'ok' || request.principal ? result : 'unavailable');
    return reply.code(ok ? 200 : 503).send({ ok, postgres: shown(postgres), redis: shown(redis) });
  });
}
