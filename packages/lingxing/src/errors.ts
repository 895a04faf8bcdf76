import type { RetryableError } from '@dlsync/remote';

interface LingxingErrorFields {
  /** API code (`2001006`, `3001008`, …) or a transport code (`HTTP_502`, `ETIMEDOUT`, `INVALID_RESPONSE`). */
  code: string;
  /** API path, never the full URL (the query carries the token and sign). */
  endpoint: string;
  retryable: boolean;
  httpStatus?: number;
  requestId?: string;
  retryAfterMs?: number;
}

/**
 * Base of every error the Lingxing client throws. Messages and fields never carry the access
 * token, sign, app secret or request URL, so they can be logged as they are.
 */
export class LingxingError extends Error implements RetryableError {
  readonly code: string;
  readonly endpoint: string;
  readonly retryable: boolean;
  readonly httpStatus?: number;
  readonly request_id?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, fields: LingxingErrorFields) {
    super(message);
    this.name = new.target.name;
    this.code = fields.code;
    this.endpoint = fields.endpoint;
    this.retryable = fields.retryable;
    if (fields.httpStatus !== undefined) this.httpStatus = fields.httpStatus;
    if (fields.requestId !== undefined) this.request_id = fields.requestId;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }
}

/** Lingxing answered with a non-success envelope (`code` ≠ 0 / 200). */
export class LingxingApiError extends LingxingError {}

/**
 * The call did not produce a usable envelope: network error, timeout, an HTTP error page,
 * malformed JSON, or a body that does not match the expected schema.
 */
export class LingxingTransportError extends LingxingError {}
