import { performance } from 'node:perf_hooks';
import type { CallObserver } from '@dlsync/remote';

/** Runs one HTTP attempt and reports it (outcome, code, duration) to the observer. */
export async function observeCall<T>(
  onCall: CallObserver | undefined,
  endpoint: string,
  attempt: number,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await fn();
    onCall?.({ service: 'lingxing', endpoint, outcome: 'ok', durationMs: performance.now() - started, attempt });
    return result;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    onCall?.({
      service: 'lingxing',
      endpoint,
      outcome: 'error',
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      durationMs: performance.now() - started,
      attempt,
    });
    throw err;
  }
}
