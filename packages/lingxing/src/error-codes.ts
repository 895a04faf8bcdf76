/**
 * Lingxing's global error codes, named after their meaning in the published error-code table
 * (gateway codes may arrive as strings or numbers). 102 and 103 are the business envelope's
 * "invalid parameter" and legacy "too frequent" codes from the Q&A page.
 */
export const LINGXING_CODES = {
  appNotExist: '2001001',
  appSecretNotCorrect: '2001002',
  /** Access token missing or expired: renew and repeat. */
  tokenExpired: '2001003',
  apiNotAuthorized: '2001004',
  /** Access token does not match (another process issued a newer one). */
  tokenMismatch: '2001005',
  signInvalid: '2001006',
  signExpired: '2001007',
  refreshTokenExpired: '2001008',
  refreshTokenInvalid: '2001009',
  missingQueryParam: '3001001',
  ipNotAllowed: '3001002',
  rateLimited: '3001008',
  invalidParameter: '102',
  rateLimitedLegacy: '103',
} as const;

export type LingxingCode = (typeof LINGXING_CODES)[keyof typeof LINGXING_CODES];

/** The meaning of each code, as the error-code table words it (for logs and reports). */
export const LINGXING_CODE_MEANINGS: Readonly<Record<LingxingCode, string>> = {
  '2001001': 'app not exist',
  '2001002': 'app secret not correct',
  '2001003': 'access token is missing or expire',
  '2001004': 'the api not authorized, please grant first',
  '2001005': 'access token not match',
  '2001006': 'api sign not correct',
  '2001007': 'api sign has expired',
  '2001008': 'refresh token expired. please get access token again',
  '2001009': 'refresh token is invalid',
  '3001001': 'missing query param(access_token,sign,timestamp,app_key)',
  '3001002': 'ip not permit, please add ip to white list first.',
  '3001008': 'requests too frequently. please request later.',
  '102': 'invalid parameter',
  '103': 'requests too frequently',
};

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
