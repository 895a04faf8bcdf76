import { randomUUID, timingSafeEqual } from 'node:crypto';
import { formAndQuery, jsonResponse, type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import type { SandboxCredentials } from '../options.js';

/** DSCO bearer auth: the static API token, or OAuth2 client-credentials tokens that expire. */
export interface DscoAuth {
  /** The `POST /oauth2/token` endpoint. */
  issue(request: SandboxRequest): SandboxResponse;
  isAuthorized(request: SandboxRequest): boolean;
  revoke(): void;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function makeDscoAuth(credentials: SandboxCredentials, now: () => number, lifetimeSeconds: number, onIssue: () => void): DscoAuth {
  let tokens = new Map<string, number>();
  return {
    issue(request) {
      const params = formAndQuery(request);
      let clientId = params.get('client_id') ?? '';
      let clientSecret = params.get('client_secret') ?? '';
      const basic = /^basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
      if (basic?.[1]) {
        const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id);
        clientSecret = decodeURIComponent(secret);
      }
      if (params.get('grant_type') !== 'client_credentials') {
        return jsonResponse(400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
      }
      if (!safeEqual(clientId, credentials.dscoClientId) || !safeEqual(clientSecret, credentials.dscoClientSecret)) {
        return jsonResponse(401, { error: 'invalid_client', error_description: 'client authentication failed' });
      }
      const token = randomUUID();
      tokens.set(token, now() + lifetimeSeconds * 1000);
      onIssue();
      return jsonResponse(200, { access_token: token, token_type: 'bearer', expires_in: lifetimeSeconds });
    },
    isAuthorized(request) {
      const match = /^bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
      const token = match?.[1]?.trim();
      if (!token) return false;
      if (safeEqual(token, credentials.dscoToken)) return true;
      const expiresAt = tokens.get(token);
      return expiresAt !== undefined && now() < expiresAt;
    },
    revoke() {
      tokens = new Map();
    },
  };
}
