import { randomUUID } from 'node:crypto';
import { jsonResponse, type SandboxResponse } from '../http/kit.js';
import { lingxingDateTime } from '../world/lingxing-side.js';

/** Gateway codes (SPEC §8). */
export const GATEWAY = {
  missingParams: '2001001',
  appNotFound: '2001002',
  tokenExpired: '2001003',
  tokenMismatch: '2001005',
  wrongSign: '2001006',
  signExpired: '2001007',
  tooFrequent: '3001008',
} as const;

/** Business parameter error code used by both envelopes. */
export const PARAM_ERROR = 102;

const requestId = (): string => randomUUID().replaceAll('-', '');

/** Gateway error: HTTP 200, string code, `msg`. */
export function gatewayError(code: string, msg: string): SandboxResponse {
  return jsonResponse(200, { code, msg, data: null, request_id: requestId() });
}

/** `/erp/sc/*` envelope. */
export function erpEnvelope(data: unknown, total: number, now: number): SandboxResponse {
  return jsonResponse(200, { code: 0, message: 'success', error_details: [], request_id: requestId(), response_time: lingxingDateTime(now), data, total });
}

export function erpError(message: string, now: number): SandboxResponse {
  return jsonResponse(200, { code: PARAM_ERROR, message, error_details: [message], request_id: requestId(), response_time: lingxingDateTime(now), data: null, total: 0 });
}

/** `/pb/mp/*` envelope. */
export function mpEnvelope(data: unknown): SandboxResponse {
  return jsonResponse(200, { code: 0, message: 'success', data });
}

export function mpError(message: string): SandboxResponse {
  return jsonResponse(200, { code: PARAM_ERROR, message, data: null });
}
