import { DscoApiError } from '@dlsync/dsco';
import { LINGXING_CODES, LingxingError } from '@dlsync/lingxing';
import type { TaskContext } from '@dlsync/runner';

/** Lingxing codes that mean our credentials or address are refused: the whole run must fail. */
const LINGXING_AUTH_CODES: ReadonlySet<string> = new Set([
  '2001001',
  '2001002',
  LINGXING_CODES.tokenExpired,
  LINGXING_CODES.tokenMismatch,
  LINGXING_CODES.signInvalid,
  LINGXING_CODES.signExpired,
  LINGXING_CODES.refreshTokenInvalid,
  LINGXING_CODES.refreshTokenExpired,
  LINGXING_CODES.ipNotAllowed,
]);

/**
 * The code to fail the orders of one remote call with, or undefined when the failure is the
 * run's and must be rethrown: rejected credentials (Lingxing gateway auth codes, DSCO 401/403)
 * or anything that is not a remote-call error (a bug, the database). Everything else — a
 * transient failure left after the client's retries, a request the API refused — only costs
 * these orders; the next run tries again after reading the remote truth. An in-doubt DSCO
 * write says so.
 */
export function remoteFailureCode(err: unknown): string | undefined {
  if (err instanceof DscoApiError) {
    if (err.status === 401 || err.status === 403) return undefined;
    return err.inDoubt ? `${err.code} (outcome unknown)` : err.code;
  }
  if (err instanceof LingxingError) return LINGXING_AUTH_CODES.has(err.code) ? undefined : err.code;
  return undefined;
}

/**
 * Marks every PO `failed` because the call `what` failed with `err`, or rethrows when the run
 * was aborted or the failure is not the orders' alone. Orders keep their status; failures are
 * logged and reported, never stored.
 */
export function failOrders(ctx: Pick<TaskContext, 'orderDone' | 'signal' | 'logger'>, pos: readonly string[], what: string, err: unknown): void {
  ctx.signal.throwIfAborted();
  const code = remoteFailureCode(err);
  if (code === undefined) throw err;
  ctx.logger.warn(`${what} failed`, { code, orders: pos.length, error: (err as Error).message });
  for (const po of pos) ctx.orderDone(po, 'failed', `${what} failed: ${code}`);
}
