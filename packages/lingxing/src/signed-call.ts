import type { Logger } from '@dlsync/logger';
import { withRetry, type CallObserver, type InflightLimiter, type RetryPolicy } from '@dlsync/remote';
import { isTokenRejectedCode, LINGXING_CODES } from './error-codes.js';
import { LingxingApiError } from './errors.js';
import { unwrapEnvelope, type Envelope } from './envelope.js';
import { postJson } from './http.js';
import { observeCall } from './observe.js';
import { sign } from './sign.js';
import { stableStringify } from './stable-stringify.js';
import type { TokenManager } from './token-manager.js';

export interface SignedCallerOptions {
  baseUrl: string;
  appId: string;
  tokens: TokenManager;
  /** The in-flight bucket of each endpoint. */
  limiterFor: (endpoint: string) => InflightLimiter;
  retry: Partial<RetryPolicy>;
  timeoutMs: number;
  clock: () => number;
  logger: Logger;
  onCall?: CallObserver;
}

export type SignedCaller = (endpoint: string, params: Record<string, unknown>, signal?: AbortSignal) => Promise<Envelope>;

/**
 * One business call: take a bucket slot, sign with a fresh timestamp, POST, check the envelope.
 * Transient failures (network, timeout, 5xx, 3001008/103) are retried with backoff; a rejected
 * token is renewed and an expired sign re-signed, each once per call; anything else is thrown.
 */
export function makeSignedCaller(options: SignedCallerOptions): SignedCaller {
  const { appId, tokens, logger } = options;

  async function send(endpoint: string, params: Record<string, unknown>, token: string, attempt: number, signal?: AbortSignal): Promise<Envelope> {
    const query = { access_token: token, app_key: appId, timestamp: String(Math.floor(options.clock() / 1000)) };
    const signature = sign({ ...params, ...query }, appId).sign;
    return observeCall(options.onCall, endpoint, attempt, async () =>
      unwrapEnvelope(
        await postJson({
          baseUrl: options.baseUrl,
          endpoint,
          searchParams: { ...query, sign: signature },
          body: stableStringify(params),
          timeoutMs: options.timeoutMs,
          ...(signal ? { signal } : {}),
        }),
        endpoint,
        { secrets: [token, signature] },
      ),
    );
  }

  return async (endpoint, params, signal) => {
    const limiter = options.limiterFor(endpoint);
    let attempt = 0;
    let tokenRenewed = false;
    let resigned = false;
    return withRetry(
      async () => {
        for (;;) {
          const token = await tokens.getToken(signal);
          try {
            return await limiter.run(() => send(endpoint, params, token, ++attempt, signal), signal);
          } catch (err) {
            if (!(err instanceof LingxingApiError)) throw err;
            if (isTokenRejectedCode(err.code) && !tokenRenewed) {
              // Counted only once it worked: a renewal that hit a 5xx is retried with the call.
              await tokens.invalidate(token, signal);
              tokenRenewed = true;
              continue;
            }
            if (err.code === LINGXING_CODES.signExpired && !resigned) {
              // Usually a slow bucket wait or clock skew; a fresh timestamp fixes the former.
              resigned = true;
              logger.warn('lingxing sign expired, re-signing', { endpoint, attempt });
              continue;
            }
            throw err;
          }
        }
      },
      {
        policy: options.retry,
        ...(signal ? { signal } : {}),
        onRetry: ({ err, delayMs }) => {
          const { code, message } = err as { code?: unknown; message?: unknown };
          logger.warn('lingxing call failed, retrying', { endpoint, attempt, code, error: message, delayMs });
        },
      },
    );
  };
}
