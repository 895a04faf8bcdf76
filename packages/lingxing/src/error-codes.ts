/** Lingxing error codes the client reacts to (gateway codes may arrive as strings or numbers). */
export const LINGXING_CODES = {
  tokenExpired: '2001003',
  tokenMismatch: '2001005',
  signInvalid: '2001006',
  signExpired: '2001007',
  refreshTokenInvalid: '2001008',
  refreshTokenExpired: '2001009',
  ipNotAllowed: '3001002',
  rateLimited: '3001008',
  rateLimitedLegacy: '103',
} as const;

/** The access token is no longer accepted: renew it (once) and repeat the call. */
export function isTokenRejectedCode(code: string): boolean {
  return code === LINGXING_CODES.tokenExpired || code === LINGXING_CODES.tokenMismatch;
}

export function isRateLimitedCode(code: string): boolean {
  return code === LINGXING_CODES.rateLimited || code === LINGXING_CODES.rateLimitedLegacy;
}

export function isRefreshTokenRejectedCode(code: string): boolean {
  return code === LINGXING_CODES.refreshTokenInvalid || code === LINGXING_CODES.refreshTokenExpired;
}
