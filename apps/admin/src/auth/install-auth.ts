import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, page, pageCsp } from '../html.js';
import type { Authenticator, Principal } from './authenticator.js';
import { SESSION_COOKIE } from './session.js';

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
  /** Route patterns served without credentials (`admin.public_paths`). */
  publicPaths: readonly string[];
  now: () => Date;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A cookie session rides along on any request the browser makes, so a state change needs proof
 * it came from our own pages: SameSite=Strict does most of it, this checks what browsers say.
 */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true;
  }
}

/** A top-level page load by a browser (every current browser sends Sec-Fetch-Mode). */
const isNavigation = (request: FastifyRequest) => request.headers['sec-fetch-mode'] === 'navigate';

/** `next` of the login form: a local path only, so the form cannot be used to redirect elsewhere. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : '/';
}

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
  return reply.code(status).header('content-security-policy', pageCsp(nonce)).type('text/html; charset=utf-8').send(body);
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
 * login routes: HTTP Basic, Bearer tokens, or the signed session cookie set by the login form.
 * Public paths are matched against the route pattern Fastify matched, not the raw URL, so
 * encodings and trailing slashes cannot reach a protected route under a public name.
 */
export function installAuth(app: FastifyInstance, options: InstallAuthOptions): void {
  const { authenticator, now } = options;
  const open = new Set([...options.publicPaths, ...LOGIN_ROUTES]);

  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && open.has(route)) return;
    const principal = await authenticator.authenticate(request.headers, now());
    if (!principal) return challenge(request, reply);
    if (principal.via === 'session' && UNSAFE_METHODS.has(request.method) && isCrossSite(request)) {
      return reply.code(403).send({ error: 'cross-site request refused' });
    }
    request.principal = principal;
  });

  app.get('/login', async (request, reply) =>
    sendLoginPage(reply, 200, { next: safeNext((request.query as Record<string, unknown>).next) }),
  );

  app.post('/login', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const user = typeof form.user === 'string' ? form.user : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(form.next);
    if (!user || !password || !(await authenticator.checkPassword(user, password))) {
      return sendLoginPage(reply, 401, { next, error: 'Wrong user name or password.' });
    }
    const cookie = authenticator.sessions.issue(user, now());
    const maxAge = Math.floor(authenticator.sessions.ttlMs / 1000);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .header('set-cookie', `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`)
      .redirect(next, 303);
  });

  app.post('/logout', async (_request, reply) =>
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/login', 303),
  );
}
