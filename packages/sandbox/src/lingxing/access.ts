import { randomUUID } from 'node:crypto';
import { jsonResponse, type SandboxResponse } from '../http/kit.js';

/**
 * What the Lingxing account lets this caller do: the ERP's IP whitelist and the APIs granted to
 * the app. Both are account settings a real deployment gets wrong; the sandbox can play either.
 */
export interface LingxingAccessOptions {
  /** Whether the caller's address is on the whitelist; false answers 3001002 to every business call. (Default: true) */
  ipWhitelisted: boolean;
  /** Business API paths not granted to the app; they answer 2001004. (Default: none) */
  ungrantedApis: string[];
}

export const DEFAULT_LINGXING_ACCESS: LingxingAccessOptions = { ipWhitelisted: true, ungrantedApis: [] };

/** Gateway codes of the access checks, from the published error-code table. */
export const ACCESS_CODES = { ipNotPermitted: '3001002', apiNotAuthorized: '2001004' } as const;

/** Gateway refusal shape: HTTP 200, string code, `msg`. */
function refusal(code: string, msg: string): SandboxResponse {
  return jsonResponse(200, { code, msg, data: null, request_id: randomUUID().replaceAll('-', '') });
}

/** The gateway's refusal for a business call this account may not make, or undefined. */
export function accessDenied(path: string, access: LingxingAccessOptions): SandboxResponse | undefined {
  if (!access.ipWhitelisted) return refusal(ACCESS_CODES.ipNotPermitted, 'ip not permit, please add ip to white list first.');
  if (access.ungrantedApis.includes(path)) return refusal(ACCESS_CODES.apiNotAuthorized, 'the api not authorized, please grant first');
  return undefined;
}
