import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../http/kit.js';
import { lingxingDateTime } from '../world/lingxing-side.js';
import { stringifyLingxingJson } from './json.js';

/** Gateway codes and their meanings, as Lingxing's global error-code table gives them. */
export const GATEWAY = {
  appNotExist: '2001001',
  appSecretNotCorrect: '2001002',
  tokenExpired: '2001003',
  tokenMismatch: '2001005',
  wrongSign: '2001006',
  signExpired: '2001007',
  missingQueryParam: '3001001',
  tooFrequent: '3001008',
} as const;

export const GATEWAY_MESSAGES: Record<(typeof GATEWAY)[keyof typeof GATEWAY], string> = {
  '2001001': 'app not exist',
  '2001002': 'app secret not correct',
  '2001003': 'access token is missing or expire',
  '2001005': 'access token not match',
  '2001006': 'api sign not correct',
  '2001007': 'api sign has expired',
  '3001001': 'missing query param(access_token,sign,timestamp,app_key)',
  '3001008': 'requests too frequently. please request later.',
};

/** A JSON response whose bigint ids keep every digit. */
export function lingxingJson(status: number, body: unknown): SandboxResponse {
  return { status, body: stringifyLingxingJson(body), headers: { 'content-type': 'application/json;charset=UTF-8' } };
}

/** Business parameter error code used by both envelopes. */
export const PARAM_ERROR = 102;

const requestId = (): string => randomUUID().replaceAll('-', '');

/** Gateway error: HTTP 200, string code, `msg` (the error-code table's wording by default). */
export function gatewayError(code: string, msg?: string): SandboxResponse {
  const text = msg ?? GATEWAY_MESSAGES[code as keyof typeof GATEWAY_MESSAGES] ?? 'error';
  return lingxingJson(200, { code, msg: text, data: null, request_id: requestId() });
}

/** `/erp/sc/*` envelope. */
export function erpEnvelope(data: unknown, total: number, now: number): SandboxResponse {
  return lingxingJson(200, { code: 0, message: 'success', error_details: [], request_id: requestId(), response_time: lingxingDateTime(now), data, total });
}

export function erpError(message: string, now: number): SandboxResponse {
  return lingxingJson(200, { code: PARAM_ERROR, message, error_details: [message], request_id: requestId(), response_time: lingxingDateTime(now), data: null, total: 0 });
}

/** `/pb/mp/*` envelope. */
export function mpEnvelope(data: unknown): SandboxResponse {
  return lingxingJson(200, { code: 0, message: 'success', data });
}

export function mpError(message: string): SandboxResponse {
  return lingxingJson(200, { code: PARAM_ERROR, message, data: null });
}
