/** A fixed API token, or OAuth2 client credentials exchanged for short-lived tokens. */
export type DscoAuth = { token: string } | { clientId: string; clientSecret: string };

/** What `POST /oauth2/token` granted. */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime in ms from when it was requested. */
  expiresInMs: number;
}

export interface TokenSource {
  /** A bearer token believed valid; fetches or refreshes one when needed. */
  get(signal?: AbortSignal): Promise<string>;
  /**
   * Forgets `token` after the server rejected it (401). Returns whether a fresh token can be
   * obtained, i.e. whether retrying is worth it. A token already replaced is left alone, so
   * many concurrent 401s cause one refresh.
   */
  invalidate(token: string): boolean;
  /** Every secret this source knows, for scrubbing server text. */
  secrets(): (string | undefined)[];
}

export function makeStaticTokenSource(token: string): TokenSource {
  return {
    get: async () => token,
    invalidate: () => false,
    secrets: () => [token],
  };
}

export interface OAuthTokenSourceOptions {
  clientSecret: string;
  /** Performs the token request (with its own timeout and retries); must not take a caller's signal. */
  fetchToken: () => Promise<IssuedToken>;
  /** Epoch ms. */
  now: () => number;
  /** Refresh this long before expiry, capped at a tenth of the token's lifetime. (Default: 60000) */
  refreshAheadMs?: number;
}

/**
 * Caches the OAuth access token and refreshes it ahead of expiry. Refreshes are single-flight
 * within the process: concurrent callers share one token request, and a caller that gives up
 * (abort) does not cancel it for the others.
 */
export function makeOAuthTokenSource(options: OAuthTokenSourceOptions): TokenSource {
  const refreshAheadMs = options.refreshAheadMs ?? 60_000;
  let current: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  // Recently issued tokens stay scrubbable: a late error page may still echo a replaced one.
  const issuedTokens: string[] = [];

  function refresh(): Promise<string> {
    inflight ??= (async () => {
      try {
        const requestedAt = options.now();
        const issued = await options.fetchToken();
        const ahead = Math.min(refreshAheadMs, issued.expiresInMs / 10);
        current = { token: issued.accessToken, refreshAt: requestedAt + issued.expiresInMs - ahead };
        issuedTokens.push(issued.accessToken);
        if (issuedTokens.length > 3) issuedTokens.shift();
        return issued.accessToken;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }

  return {
    async get(signal) {
      signal?.throwIfAborted();
      if (current && options.now() < current.refreshAt) return current.token;
      return raceAbort(refresh(), signal);
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
      return true;
    },
    secrets: () => [options.clientSecret, ...issuedTokens],
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
