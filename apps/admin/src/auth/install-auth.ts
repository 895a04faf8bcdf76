import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, page, pageCsp } from '../html.js';
import { inventoryAccess } from '../inventory-api/role-scope.js';
import { readPresented, type Authenticator, type Presented, type Principal } from './authenticator.js';
import { ThrottledError, type LoginThrottle } from './login-throttle.js';
import { crossSiteReason, safeNext, UNSAFE_METHODS } from './same-origin.js';
import { readCookie, SESSION_COOKIE } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the auth hook on every non-public route. */
    principal?: Principal;
  }
}

/** Routes that must work without credentials for anyone to log in at all. */
export const LOGIN_ROUTES: readonly string[] = ['/login', '/logout'];

export const AUTH_CHALLENGE = 'Basic realm="dlsync"';
/**
 * The challenge for browser page loads. A Basic challenge there makes the browser show its own
 * password prompt (and headless browsers abort the load), hiding the sign-in form in the body;
 * an unknown scheme keeps the 401 while the browser renders the form.
 */
export const FORM_CHALLENGE = 'Form realm="dlsync"';

export interface InstallAuthOptions {
  authenticator: Authenticator;
  throttle: LoginThrottle;
  /** Route patterns served without credentials (`admin.public_paths`). */
  publicPaths: readonly string[];
  /** `Secure` on the session cookie (`admin.cookie_secure`). */
  cookieSecure: 'auto' | 'always' | 'never';
  now: () => Date;
  /** Told when checking credentials failed for want of Redis (the request answers 503). */
  onStoreError?: (err: Error) => void;
}

/** A top-level page load by a browser (every current browser sends Sec-Fetch-Mode). */
const isNavigation = (request: FastifyRequest) => request.headers['sec-fetch-mode'] === 'navigate';

const parseForm = (_request: unknown, body: string, done: (err: Error | null, body?: unknown) => void): void =>
  done(null, Object.fromEntries(new URLSearchParams(body)));

const formField = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? form[name] : '');

function loginPage(options: { next: string; error?: string }): { body: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64');
  const body = html`
<section aria-labelledby="login-title" class="narrow">
  <h2 id="login-title">Sign in</h2>
  ${options.error ? html`<p class="error" role="alert" data-testid="login-error">${options.error}</p>` : ''}
  <form method="post" action="/login" class="run" data-testid="login-form">
    <input type="hidden" name="next" value="${options.next}">
    <label>User <input name="user" autocomplete="username" required data-testid="login-user"></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required data-testid="login-password"></label>
    <button type="submit" data-testid="login-submit">Sign in</button>
  </form>
  <p class="muted">API clients: HTTP Basic or <code>Authorization: Bearer &lt;token&gt;</code>.</p>
</section>`;
  return {
    nonce,
    body: page({ title: 'dlsync admin · sign in', nonce, header: html`<header><h1>dlsync admin</h1></header>`, body }),
  };
}

function sendLoginPage(reply: FastifyReply, status: number, options: { next: string; error?: string }): FastifyReply {
  const { body, nonce } = loginPage(options);
  return reply
    .code(status).header('content-security-policy', pageCsp(nonce)).type('text/html; charset=utf-8').send(body);
}

function challenge(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (isNavigation(request)) {
    return sendLoginPage(reply.header('www-authenticate', FORM_CHALLENGE), 401, { next: safeNext(request.url) });
  }
  return reply.code(401).header('www-authenticate', AUTH_CHALLENGE).send({ error: 'authentication required' });
}

/**
 * Guards every route of `app` (Bull Board, API, pages, /metrics) except `publicPaths` and the
 * login routes: HTTP Basic, Bearer tokens, or the session cookie set by the login form.
 * Public paths are matched against the route pattern Fastify matched, not the raw URL, so
 * encodings and trailing slashes cannot reach a protected route under a public name.
 * Every state change must come from this site (whatever the credentials), and the viewer role
 * makes none.
 */
export function installAuth(app: FastifyInstance, options: InstallAuthOptions): void {
  const { authenticator, throttle, now } = options;
  const onStoreError = options.onStoreError ?? (() => undefined);
  const publicPaths = new Set(options.publicPaths);

  async function identify(request: FastifyRequest, presented: Presented): Promise<Principal | undefined> {
    switch (presented.scheme) {
      case 'basic':
        return throttle.attempt(request, presented.user, () => authenticator.checkPassword(presented.user, presented.password, 'basic'));
      case 'bearer':
        return authenticator.checkToken(presented.token);
      case 'session':
        return authenticator.checkSession(presented.cookie, now());
      case 'none':
        return undefined;
    }
  }

  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    const unsafe = UNSAFE_METHODS.has(request.method);
    const presented = readPresented(request.headers);
    const crossSite = unsafe ? crossSiteReason(request, presented.scheme === 'session') : undefined;
    if (crossSite) return reply.code(403).send({ error: `cross-site request refused: ${crossSite}` });
    if (route !== undefined && LOGIN_ROUTES.includes(route)) return;
    if (route !== undefined && publicPaths.has(route)) {
      // Served to anyone; a caller who also signs in may see more (e.g. /readyz details).
      request.principal = await identify(request, presented).catch(() => undefined);
      return;
    }
    let principal: Principal | undefined;
    try {
      principal = await identify(request, presented);
    } catch (err) {
      if (err instanceof ThrottledError) {
        return reply.code(429).header('retry-after', String(err.retryAfterSeconds)).send({ error: err.message });
      }
      // Sessions live in Redis: while it does not answer, say so (503) rather than 500 or 401.
      onStoreError(err as Error);
      return reply.code(503).header('retry-after', '5').send({ error: 'sign-in unavailable: the session store does not answer' });
    }
    if (!principal) return challenge(request, reply);
    const scope = inventoryAccess(principal.role, route);
    if (scope && 'refused' in scope) return reply.code(403).send({ error: scope.refused });
    if (unsafe && principal.role !== 'admin' && !scope) return reply.code(403).send({ error: `the ${principal.role} role cannot change anything` });
    request.principal = principal;
  });

  app.get('/login', async (request, reply) =>
    sendLoginPage(reply, 200, { next: safeNext((request.query as Record<string, unknown>).next) }),
  );

  // The form parser serves these two routes only: no other route takes what a plain HTML
  // form on another site could send.
  app.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, parseForm);

    forms.post('/login', async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const [user, password, next] = [formField(form, 'user'), formField(form, 'password'), safeNext(form.next)];
      let principal: Principal | undefined;
      try {
        principal = await throttle.attempt(request, user, () => authenticator.checkPassword(user, password, 'session'));
      } catch (err) {
        if (!(err instanceof ThrottledError)) throw err;
        reply.header('retry-after', String(err.retryAfterSeconds));
        return sendLoginPage(reply, 429, { next, error: `Too many failed sign-ins; try again in ${err.retryAfterSeconds} s.` });
      }
      if (!principal) return sendLoginPage(reply, 401, { next, error: 'Wrong user name or password.' });
      const cookie = await authenticator.startSession(principal.user, now());
      const maxAge = Math.floor(authenticator.sessions.ttlMs / 1000);
      const secure = options.cookieSecure === 'always' || (options.cookieSecure === 'auto' && request.protocol === 'https');
      return reply
        .header('set-cookie', `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`)
        .redirect(next, 303);
    });

    forms.post('/logout', async (request, reply) => {
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (cookie) await authenticator.sessions.revoke(cookie);
      return reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/login', 303);
    });
  });
}
