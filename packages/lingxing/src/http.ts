import { got, RequestError } from 'got';
import { LingxingTransportError } from './errors.js';
import { parseLosslessJson } from './json.js';

export interface PostOptions {
  baseUrl: string;
  /** API path, e.g. `/pb/mp/order/v2/create`; errors name it instead of the full URL. */
  endpoint: string;
  /** Query parameters (business calls: access_token, app_key, timestamp, sign). */
  searchParams?: Record<string, string>;
  /** JSON request body, already serialized (the signature covers these exact bytes). */
  body?: string;
  /**
   * Sent as multipart/form-data instead of a JSON body: the auth server takes its parameters as
   * form fields, which keeps the app secret and refresh token out of the URL (and so out of
   * proxy and access logs).
   */
  form?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  /** The parsed JSON body. */
  json: unknown;
}

/**
 * One POST, no retries (the caller owns retry policy). Resolves with any parsed JSON body,
 * whatever the HTTP status, because Lingxing's gateway reports errors in JSON too; throws a
 * retryable/non-retryable {@link LingxingTransportError} for everything else. The URL is
 * never put in an error: its query holds the access token and the sign.
 */
export async function postJson(options: PostOptions): Promise<RawResponse> {
  const { endpoint, signal } = options;
  let response;
  try {
    response = await got.post(joinUrl(options.baseUrl, endpoint), {
      ...(options.searchParams === undefined ? {} : { searchParams: options.searchParams }),
      ...bodyOf(options),
      timeout: { request: options.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw toTransportError(err, endpoint);
  }
  const status = response.statusCode;
  const retryable = status >= 500 || status === 429 || status === 408;
  let json: unknown;
  try {
    json = parseLosslessJson(response.body);
  } catch {
    const type = String(response.headers['content-type'] ?? 'unknown content type');
    throw new LingxingTransportError(
      `Lingxing ${endpoint} answered HTTP ${status} with a body that is not JSON (${type.split(';')[0]})`,
      { code: status >= 400 ? `HTTP_${status}` : 'INVALID_RESPONSE', endpoint, retryable, httpStatus: status },
    );
  }
  if (json === null || typeof json !== 'object') {
    throw new LingxingTransportError(`Lingxing ${endpoint} answered HTTP ${status} with a JSON body that is not an object`, {
      code: status >= 400 ? `HTTP_${status}` : 'INVALID_RESPONSE',
      endpoint,
      retryable,
      httpStatus: status,
    });
  }
  return { status, json };
}

function bodyOf(options: PostOptions): { body?: string | FormData; headers: Record<string, string> } {
  if (options.form !== undefined) {
    const form = new FormData();
    for (const [key, value] of Object.entries(options.form)) form.append(key, value);
    // got sets the multipart content type with its boundary.
    return { body: form, headers: { accept: 'application/json' } };
  }
  return {
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  };
}

function joinUrl(baseUrl: string, endpoint: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${endpoint}`;
}

function toTransportError(err: unknown, endpoint: string): LingxingTransportError {
  // got's own message can quote the URL; keep only its code and a fixed description.
  const code = err instanceof RequestError ? err.code : 'ERR_NETWORK';
  const what = code === 'ETIMEDOUT' ? 'timed out' : `failed (${code})`;
  return new LingxingTransportError(`Lingxing ${endpoint} request ${what}`, { code, endpoint, retryable: true });
}
