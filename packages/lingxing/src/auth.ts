import type { CallObserver } from '@dlsync/remote';
import { LINGXING_AUTH_ENDPOINTS } from './endpoints.js';
import { unwrapEnvelope } from './envelope.js';
import { postJson } from './http.js';
import { observeCall } from './observe.js';
import { parseOrThrow } from './parse.js';
import { tokenDataSchema, type TokenData } from './schemas.js';

export interface AuthClientOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  onCall?: CallObserver;
}

/** The two auth-server calls. Neither is retried here: the business call's retry covers them. */
export interface AuthClient {
  /** A brand-new token pair; this invalidates the previous access token at Lingxing. */
  issue(signal?: AbortSignal): Promise<TokenData>;
  /** Trades a (single-use) refresh token for a new pair. */
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenData>;
}

const AUTH_SUCCESS = ['200', '0'];

export function makeAuthClient(options: AuthClientOptions): AuthClient {
  async function post(endpoint: string, form: Record<string, string>, signal?: AbortSignal): Promise<TokenData> {
    // The auth server takes multipart form fields (its reference pages); never the query, so the
    // secret and the single-use refresh token stay out of every URL.
    const envelope = await observeCall(options.onCall, endpoint, 1, async () =>
      unwrapEnvelope(
        await postJson({ baseUrl: options.baseUrl, endpoint, form, timeoutMs: options.timeoutMs, ...(signal ? { signal } : {}) }),
        endpoint,
        { successCodes: AUTH_SUCCESS, secrets: Object.values(form) },
      ),
    );
    return parseOrThrow(tokenDataSchema, envelope.data, endpoint);
  }
  return {
    issue: (signal) =>
      post(LINGXING_AUTH_ENDPOINTS.accessToken, { appId: options.appId, appSecret: options.appSecret }, signal),
    refresh: (refreshToken, signal) =>
      post(LINGXING_AUTH_ENDPOINTS.refresh, { appId: options.appId, refreshToken }, signal),
  };
}
