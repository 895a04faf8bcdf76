import type { FastifyRequest } from 'fastify';

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
 * printable ASCII only (what a browser sends; anything else is percent-encoded), without `\`:
 * browsers drop tabs and newlines and read `\` as `/`, so `/\t/evil.example` would be
 * `//evil.example`, and a raw newline or non-ASCII character cannot go in a Location header.
 * Anything else goes to `/`.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !/^\/(?![/\\])[\x20-\x5b\x5d-\x7e]*$/.test(value)) return '/';
  const base = 'http://admin.invalid';
  return new URL(value, base).origin === base ? value : '/';
}
