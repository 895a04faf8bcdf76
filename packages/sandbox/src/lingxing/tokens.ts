import { randomUUID } from 'node:crypto';

export interface IssuedToken {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export type TokenCheck = 'ok' | 'expired' | 'unknown';
export type RefreshResult = { ok: true; token: IssuedToken } | { ok: false; code: '2001008' | '2001009'; msg: string };

/**
 * Lingxing's single active token per app: issuing (or refreshing) replaces the previous
 * access token, which then reads as expired. Refresh tokens are single use.
 */
export interface LingxingTokens {
  issue(): IssuedToken;
  refresh(refreshToken: string): RefreshResult;
  check(accessToken: string): TokenCheck;
  revoke(): void;
  reset(): void;
}

export function makeLingxingTokens(now: () => number, lifetimeSeconds: number, refreshLifetimeSeconds: number): LingxingTokens {
  let current: { access: string; refresh: string; expiresAtMs: number; refreshExpiresAtMs: number } | undefined;
  const retired = new Set<string>();
  const usedRefresh = new Set<string>();
  const issue = (): IssuedToken => {
    if (current) {
      retired.add(current.access);
      usedRefresh.add(current.refresh);
    }
    current = {
      access: randomUUID(),
      refresh: randomUUID(),
      expiresAtMs: now() + lifetimeSeconds * 1000,
      refreshExpiresAtMs: now() + refreshLifetimeSeconds * 1000,
    };
    return { access_token: current.access, refresh_token: current.refresh, expires_in: lifetimeSeconds };
  };
  return {
    issue,
    refresh(refreshToken) {
      if (!current || current.refresh !== refreshToken) {
        return { ok: false, code: '2001009', msg: usedRefresh.has(refreshToken) ? 'refresh_token already used' : 'refresh_token invalid' };
      }
      if (now() >= current.refreshExpiresAtMs) return { ok: false, code: '2001008', msg: 'refresh_token expired' };
      return { ok: true, token: issue() };
    },
    check(accessToken) {
      if (current && current.access === accessToken) return now() < current.expiresAtMs ? 'ok' : 'expired';
      return retired.has(accessToken) ? 'expired' : 'unknown';
    },
    revoke() {
      if (!current) return;
      retired.add(current.access);
      usedRefresh.add(current.refresh);
      current = undefined;
    },
    reset() {
      current = undefined;
      retired.clear();
      usedRefresh.clear();
    },
  };
}
