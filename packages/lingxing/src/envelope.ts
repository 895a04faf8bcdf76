import { REDACTED, redactString } from '@dlsync/logger';
import { isRateLimitedCode } from './error-codes.js';
import { LingxingApiError, LingxingTransportError } from './errors.js';
import type { RawResponse } from './http.js';

/** A successful Lingxing response with both envelope styles reduced to one shape. */
export interface Envelope {
  data: unknown;
  /** Top-level `total` of `/erp/sc/*` responses (a string or number as sent). */
  total?: unknown;
  requestId?: string;
  message?: string;
  /** `response_time` of `/erp/sc/*` responses: Lingxing's clock, "YYYY-MM-DD HH:MM:SS" in its zone. */
  responseTime?: string;
}

/** Success codes: 0 for business calls, 200 for the auth server. */
const DEFAULT_SUCCESS = ['0'];

/**
 * Checks the envelope: `/erp/sc/*` `{code: 0, message, request_id, data, total}`, `/pb/mp/*`
 * `{code: 0, message, data: {total, list}}`, gateway and auth `{code: "2001006", msg}` —
 * codes may be numbers or strings. Anything else becomes a typed error.
 */
export function unwrapEnvelope(
  raw: RawResponse,
  endpoint: string,
  options: { successCodes?: readonly string[]; secrets?: readonly string[] } = {},
): Envelope {
  const successCodes = options.successCodes ?? DEFAULT_SUCCESS;
  const body = raw.json as Record<string, unknown>;
  const code = typeof body.code === 'number' || typeof body.code === 'string' ? String(body.code) : undefined;
  const message = firstString(body.message, body.msg);
  const requestId = firstString(body.request_id, body.requestId, body.traceId);
  const serverError = raw.status >= 500;
  if (code === undefined) {
    throw new LingxingTransportError(`Lingxing ${endpoint} answered HTTP ${raw.status} without an envelope code`, {
      code: raw.status >= 400 ? `HTTP_${raw.status}` : 'INVALID_RESPONSE',
      endpoint,
      retryable: serverError || raw.status === 429,
      httpStatus: raw.status,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  if (!successCodes.includes(code)) {
    // Servers sometimes echo the request; never let that carry a credential into the message.
    const detail = message === undefined ? '' : `: ${scrub(message, options.secrets ?? [])}`;
    throw new LingxingApiError(`Lingxing ${endpoint} failed with code ${code}${detail}`, {
      code,
      endpoint,
      retryable: isRateLimitedCode(code) || serverError,
      httpStatus: raw.status,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  return {
    data: body.data,
    ...(body.total === undefined ? {} : { total: body.total }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(message === undefined ? {} : { message }),
    ...(typeof body.response_time === 'string' ? { responseTime: body.response_time } : {}),
  };
}

/**
 * The page inside either style: `/erp/sc/*` puts the rows in `data` and the count beside it,
 * `/pb/mp/*` nests `{total, list}` in `data`.
 */
export function pageOf(envelope: Envelope): { list: unknown; total: unknown } {
  const { data } = envelope;
  if (Array.isArray(data) || data === null || data === undefined) {
    return { list: data ?? [], total: envelope.total ?? (Array.isArray(data) ? data.length : 0) };
  }
  const inner = data as Record<string, unknown>;
  return { list: inner.list ?? [], total: inner.total ?? envelope.total };
}

function scrub(message: string, secrets: readonly string[]): string {
  let clean = redactString(message);
  for (const secret of secrets) if (secret) clean = clean.split(secret).join(REDACTED);
  return clean;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}
