import type { FastifyRequest } from 'fastify';
import { isCleanText } from '../text.js';

/** Methods that change state; each must come from our own pages or from a non-browser client. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
};

/**
 * Why a state-changing request is refused as cross-site, or undefined when it may go on.
 * Browsers attach cookies and cached Basic credentials to requests other sites make, and say
 * where a request came from in Sec-Fetch-Site, Origin or Referer: any of them naming another
 * site (or `null`, an opaque origin) refuses the request whatever credentials it carries.
 * Without any of them the caller is not a browser (curl, scripts with Basic or a token), except
 * when it rides on the session cookie, which only browsers hold: that must say where it is from.
 */
export function crossSiteReason(request: FastifyRequest, viaCookie: boolean): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.origin;
  if (origin !== undefined) return hostOf(origin) === request.host ? undefined : 'Origin is another site';
  const referer = request.headers.referer;
  if (referer !== undefined) return hostOf(referer) === request.host ? undefined : 'Referer is another site';
  if (viaCookie && site === undefined) return 'a session request without Origin';
  return undefined;
}

/**
 * `next` after sign-in: a path on this site only. It must start with exactly one `/` and hold
 * no backslash or control character, since browsers drop tabs and newlines and read `\` as `/`
 * (`/\t/evil.example` is `//evil.example`); anything else goes to `/`.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\\\u0000-\u001f\u007f-\u009f]*$/.test(value) || !isCleanText(value)) return '/';
  const base = 'http://admin.invalid';
  return new URL(value, base).origin === base ? value : '/';
}
