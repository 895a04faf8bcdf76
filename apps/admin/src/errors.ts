import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '@dlsync/logger';

export interface Issue {
  path: string;
  message: string;
}

/** A client error with a JSON body `{error, issues?, ...extra}`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: Issue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function issuesFromZod(error: z.ZodError, prefix?: string): Issue[] {
  return error.issues.map((i) => ({
    path: [...(prefix ? [prefix] : []), ...i.path.map(String)].join('.') || '(root)',
    message: i.message,
  }));
}

/** Parses `value` or throws a 400 naming every bad field under `where` (body, query, params). */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error, where);
  throw new HttpError(400, `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/**
 * Client mistakes answer 4xx with a reason; anything else is logged and answers a bare 500 so
 * internals (SQL, hosts) never reach the caller.
 */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ error: err.message, issues: err.issues, ...err.extra });
    }
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own 4xx: malformed JSON, body too large, unsupported content type.
      return reply.code(status).send({ error: err.message, issues: [] });
    }
    logger.error('request failed', { method: request.method, route: request.routeOptions.url, error: err.message });
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
}
