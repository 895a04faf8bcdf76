import { jsonResponse, type SandboxResponse } from '../http/kit.js';

/** DSCO error body: `{"messages":[{"code","severity","description"}]}`. */
export function dscoError(status: number, code: string, descriptions: string | string[]): SandboxResponse {
  const list = Array.isArray(descriptions) ? descriptions : [descriptions];
  return jsonResponse(status, { messages: list.map((description) => ({ code, severity: 'error', description })) });
}

export const validationFailed = (descriptions: string | string[]): SandboxResponse => dscoError(400, 'VALIDATION_FAILED', descriptions);
export const notFound = (description: string): SandboxResponse => dscoError(404, 'NOT_FOUND', description);
