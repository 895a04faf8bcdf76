import type { z } from 'zod';
import { LingxingTransportError } from './errors.js';

/**
 * Validates a response payload. Issues name paths and expectations only, never the received
 * values, so a token echoed in a body cannot leak into the message.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, endpoint: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new LingxingTransportError(`Lingxing ${endpoint} returned an unexpected payload (${issues})`, {
    code: 'INVALID_RESPONSE',
    endpoint,
    retryable: false,
  });
}
