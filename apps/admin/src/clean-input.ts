import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';
import { isCleanText } from './text.js';

const MESSAGE = 'must be text without NUL characters or lone surrogates';

/** The path of the first string (key or value) in `value` that is not clean text, if any. */
function findDirtyText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return isCleanText(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!isCleanText(key)) return path;
    const found = findDirtyText(child, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, any route input (path parameters, query, body) holding
 * NUL or a lone surrogate: Postgres cannot store either, and no handler should have to think
 * about them. Runs before every handler, Bull Board's included.
 */
export function installCleanInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      const path = findDirtyText(value, where);
      if (path) throw new HttpError(400, `invalid ${where}: ${path}: ${MESSAGE}`, [{ path, message: MESSAGE }]);
    }
  });
}
