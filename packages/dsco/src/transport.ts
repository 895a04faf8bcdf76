import { performance } from 'node:perf_hooks';
import got, { type Got } from 'got';
import type { z } from 'zod';
import type { Logger } from '@dlsync/logger';
import { withRetry, type CallObserver, type RateLimiter, type RetryPolicy } from '@dlsync/remote';
import type { TokenSource } from './auth.js';
import { DscoApiError, isRetryableStatus, parseDscoMessages, parseRetryAfter, type DscoApiErrorDetails } from './errors.js';
import { snippet } from './scrub.js';

export interface DscoRequest {
  method: 'GET' | 'POST';
  /** Path template, used for the URL, logs, metrics and errors, e.g. `/order/page`. */
  endpoint: string;
  searchParams?: URLSearchParams;
  json?: unknown;
  form?: Record<string, string>;
  /** Sends `Authorization: bearer …` from the token source. (Default: true) */
  authenticated?: boolean;
  /** Taken before every attempt; none for the token endpoint. */
  limiter?: RateLimiter;
  /** Safe to repeat after the server answered 2xx with an unreadable body. (Default: GET only) */
  idempotent?: boolean;
  /** The response carries credentials: never quote its body in an error. (Default: false) */
  secretResponse?: boolean;
  /** Overrides the transport's retry policy for this request. */
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
}

export interface DscoTransport {
  /**
   * Sends the request with rate limiting, auth (one token refresh on 401) and retries, and
   * parses a 2xx JSON body with `schema`. Any other status is a {@link DscoApiError}.
   */
  call<S extends z.ZodType>(request: DscoRequest, schema: S): Promise<z.output<S>>;
  /** Like `call`, but resolves undefined for `statuses` that are an answer (404 = "none"). */
  callUnless<S extends z.ZodType>(request: DscoRequest, schema: S, statuses: readonly number[]): Promise<z.output<S> | undefined>;
}

export interface DscoTransportOptions {
  baseUrl: string;
  tokens: TokenSource;
  timeoutMs: number;
  retry: Partial<RetryPolicy>;
  /** Epoch ms, for Retry-After dates. */
  now: () => number;
  logger: Logger;
  onCall?: CallObserver;
  /** Removes secrets from server text before it reaches an error. */
  scrub: (text: string) => string;
}

interface RawResponse {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

/** Reads, and writes marked idempotent, may be repeated after any transient failure. */
function safeToRepeat(request: { method: string; idempotent?: boolean }): boolean {
  return request.idempotent ?? request.method === 'GET';
}

/** Network errors that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function makeDscoTransport(options: DscoTransportOptions): DscoTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const http: Got = got.extend({
    throwHttpErrors: false,
    retry: { limit: 0 },
    followRedirect: false,
    responseType: 'text',
    timeout: { request: options.timeoutMs },
  });

  function fail(request: DscoRequest, message: string, details: Omit<DscoApiErrorDetails, 'method' | 'endpoint'>): DscoApiError {
    return new DscoApiError(`DSCO ${request.method} ${request.endpoint}: ${message}`, {
      method: request.method,
      endpoint: request.endpoint,
      ...details,
    });
  }

  /** One HTTP exchange. Network failures become DscoApiError; abort rethrows the signal's reason. */
  async function send(request: DscoRequest, expected: readonly number[], token: string | undefined, attempt: number): Promise<RawResponse> {
    await request.limiter?.take(request.signal);
    const started = performance.now();
    const report = (outcome: 'ok' | 'error', code: string | number): void =>
      options.onCall?.({ service: 'dsco', endpoint: request.endpoint, outcome, code, durationMs: performance.now() - started, attempt });
    try {
      const res = await http(`${base}${request.endpoint}`, {
        method: request.method,
        searchParams: request.searchParams,
        json: request.json,
        form: request.form,
        headers: {
          accept: 'application/json',
          // DSCO wants JSON declared on every request, reads included; the token call is a form.
          ...(request.form === undefined && { 'content-type': 'application/json' }),
          ...(token !== undefined && { authorization: `bearer ${token}` }),
        },
        signal: request.signal,
      });
      const ok = (res.statusCode >= 200 && res.statusCode < 300) || expected.includes(res.statusCode);
      report(ok ? 'ok' : 'error', res.statusCode);
      const retryAfter = res.headers['retry-after'];
      return { status: res.statusCode, body: res.body, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
    } catch (err) {
      if (request.signal?.aborted) {
        report('error', 'ABORTED');
        throw request.signal.reason;
      }
      // Never wrap or rethrow got's error: its `options` carry the Authorization header.
      const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'NETWORK_ERROR';
      report('error', code);
      const what = code === 'ETIMEDOUT' ? `timed out after ${options.timeoutMs} ms` : `network error ${code}`;
      // A write whose request may have reached DSCO is not repeated blindly (it could apply twice).
      const neverSent = NOT_SENT_CODES.has(code);
      throw fail(request, what, { code, retryable: safeToRepeat(request) || neverSent, inDoubt: !safeToRepeat(request) && !neverSent });
    }
  }

  function quote(request: DscoRequest, body: string): { bodySnippet?: string } {
    return request.secretResponse || body.length === 0 ? {} : { bodySnippet: options.scrub(snippet(body)) };
  }

  function parseJson(request: DscoRequest, res: RawResponse): unknown {
    try {
      return JSON.parse(res.body) as unknown;
    } catch {
      // A 2xx means the server acted; repeating a write could apply it twice, so only reads retry.
      throw fail(request, `HTTP ${res.status} with a body that is not JSON`, {
        status: res.status,
        code: 'MALFORMED_RESPONSE',
        retryable: safeToRepeat(request),
        inDoubt: !safeToRepeat(request),
        ...quote(request, res.body),
      });
    }
  }

  function errorFor(request: DscoRequest, res: RawResponse): DscoApiError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body) as unknown;
    } catch {
      parsed = undefined; // HTML error page, empty body, …
    }
    const messages = parseDscoMessages(parsed).map((m) => ({
      ...m,
      ...(m.description !== undefined && { description: options.scrub(m.description) }),
    }));
    const summary = messages.length > 0 ? messages.map((m) => `${m.code ?? '?'}: ${m.description ?? ''}`).join('; ') : undefined;
    const retryAfterMs = parseRetryAfter(res.retryAfter, options.now());
    return fail(request, `HTTP ${res.status}${summary ? ` ${summary}` : ''}`, {
      status: res.status,
      code: `HTTP_${res.status}`,
      messages,
      // 429 means "not processed"; a 5xx or 408 on a write may hide an applied write.
      retryable: isRetryableStatus(res.status) && (safeToRepeat(request) || res.status === 429),
      inDoubt: !safeToRepeat(request) && (res.status >= 500 || res.status === 408),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(messages.length === 0 && quote(request, res.body)),
    });
  }

  async function attempt<S extends z.ZodType>(
    request: DscoRequest,
    schema: S,
    expected: readonly number[],
    nextAttempt: () => number,
  ): Promise<z.output<S> | undefined> {
    const authenticated = request.authenticated ?? true;
    let refreshed = false;
    for (;;) {
      const token = authenticated ? await options.tokens.get(request.signal) : undefined;
      const res = await send(request, expected, token, nextAttempt());
      if (res.status === 401 && token !== undefined && !refreshed && options.tokens.invalidate(token)) {
        refreshed = true;
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        const body = parseJson(request, res);
        const result = schema.safeParse(body);
        if (result.success) return result.data;
        throw fail(request, `unexpected response shape: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, {
          status: res.status,
          code: 'UNEXPECTED_RESPONSE',
          retryable: false,
        });
      }
      if (expected.includes(res.status)) return undefined;
      throw errorFor(request, res);
    }
  }

  function run<S extends z.ZodType>(request: DscoRequest, schema: S, expected: readonly number[]): Promise<z.output<S> | undefined> {
    let attempts = 0;
    const nextAttempt = (): number => ++attempts;
    return withRetry(() => attempt(request, schema, expected, nextAttempt), {
      policy: { ...options.retry, ...request.retry },
      ...(request.signal && { signal: request.signal }),
      onRetry: ({ err, delayMs }) => {
        const e = err as Partial<DscoApiError>;
        options.logger.warn('dsco call failed, retrying', {
          endpoint: request.endpoint,
          method: request.method,
          code: e.code,
          status: e.status,
          attempt: attempts,
          delayMs,
        });
      },
    });
  }

  return {
    async call(request, schema) {
      // With no expected statuses every non-2xx throws, so a result is always present.
      return (await run(request, schema, [])) as z.output<typeof schema>;
    },
    callUnless: run,
  };
}
