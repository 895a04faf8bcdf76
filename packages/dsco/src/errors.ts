import type { RetryableError } from '@dlsync/remote';

/** One entry of DSCO's error body `{"messages":[{code, severity, description}]}`. */
export interface DscoMessage {
  code?: string;
  severity?: string;
  description?: string;
}

export interface DscoApiErrorDetails {
  /** HTTP method of the failed request. */
  method: string;
  /** Path template, e.g. `/order/page`. */
  endpoint: string;
  /** HTTP status; absent when no response arrived (network error, timeout). */
  status?: number;
  /**
   * What went wrong: `HTTP_<status>`, a network code (`ETIMEDOUT`, `ECONNRESET`, …),
   * `MALFORMED_RESPONSE` (body is not JSON) or `UNEXPECTED_RESPONSE` (JSON of the wrong shape).
   */
  code: string;
  /** Messages parsed from an error body, when it had any. */
  messages?: DscoMessage[];
  /** Whether trying the same request again could succeed. */
  retryable: boolean;
  /** A write that may have been applied although no success came back (timeout, 5xx, unreadable 2xx). */
  inDoubt?: boolean;
  /** Server-suggested wait from `Retry-After`, in ms. */
  retryAfterMs?: number;
  /** Short, scrubbed extract of a body that was not the expected JSON, for diagnosis. */
  bodySnippet?: string;
}

/**
 * Every failure of a DSCO call, whatever its cause. Its message and fields never contain
 * credentials: it is built from the method, endpoint, status and scrubbed server text only,
 * never from the HTTP library's error (whose options carry the Authorization header).
 */
export class DscoApiError extends Error implements RetryableError {
  override readonly name = 'DscoApiError';
  readonly method: string;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly code: string;
  readonly messages: DscoMessage[];
  readonly retryable: boolean;
  /**
   * The request was a write and may have been applied although no success came back. It is not
   * retried blindly: the caller verifies DSCO's state before sending it again.
   */
  readonly inDoubt: boolean;
  readonly retryAfterMs: number | undefined;
  readonly bodySnippet: string | undefined;

  constructor(message: string, details: DscoApiErrorDetails) {
    super(message);
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.code = details.code;
    this.messages = details.messages ?? [];
    this.retryable = details.retryable;
    this.inDoubt = details.inDoubt ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.bodySnippet = details.bodySnippet;
  }
}

/** Statuses worth another try: timeouts, throttling and server faults. Other 4xx are permanent. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Longest description kept from one message: error text, not a dump of the request. */
const MAX_DESCRIPTION = 1000;

/**
 * A readable line from a message `description`, which DSCO sends as a string, an object (e.g.
 * `{field, reason}`) or an array of either: strings as they are, objects as `key: value`
 * pairs, arrays joined with "; ".
 */
export function describeDscoDescription(value: unknown, depth = 0): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (depth > 3) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => describeDscoDescription(v, depth + 1)).filter((v): v is string => v !== undefined && v !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, describeDscoDescription(v, depth + 1)] as const)
      .filter((kv): kv is readonly [string, string] => kv[1] !== undefined)
      .map(([k, v]) => `${k}: ${v}`);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}

/**
 * Pulls the messages out of a DSCO error body: `{messages: [{code, severity, description}]}`
 * (description a string, object or array), or the OAuth form `{error, error_description}`.
 * Anything else yields an empty list.
 */
export function parseDscoMessages(body: unknown): DscoMessage[] {
  if (typeof body !== 'object' || body === null) return [];
  const { messages: raw, error, error_description: errorDescription } = body as { messages?: unknown; error?: unknown; error_description?: unknown };
  if (!Array.isArray(raw)) {
    if (typeof error !== 'string') return [];
    const description = describeDscoDescription(errorDescription);
    return [{ code: error, severity: 'error', ...(description !== undefined && { description: clip(description) }) }];
  }
  return raw
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map((m) => {
      const description = describeDscoDescription(m.description);
      return {
        ...(typeof m.code === 'string' && { code: m.code }),
        ...(typeof m.severity === 'string' && { severity: m.severity }),
        ...(description !== undefined && { description: clip(description) }),
      };
    });
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into ms from `nowMs`; undefined when
 * absent or unparsable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
