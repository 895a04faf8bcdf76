import type { AdminFixture, HttpResponse } from './admin-fixture.js';
import { ALICE_PASSWORD, BOT_TOKEN, CAROL_PASSWORD, VIEWER_TOKEN, basic } from './admin-fixture.js';
import { LOGIN_ROUTES } from '../src/index.js';
import { INVENTORY_API_PREFIX } from '../src/inventory-api/role-scope.js';

/** A concrete URL for a route pattern (`:param` and `*` filled with harmless values). */
export const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x');

export const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every admin route but the login routes and /healthz (the default public path). The inventory
 * API is not the admin's: only its own token role reaches it (its matrix is in inventory-api.test.ts).
 */
export const guardedRoutes = (fx: AdminFixture) =>
  fx.app.adminRoutes.filter((r) => !LOGIN_ROUTES.includes(r.url) && r.url !== '/healthz' && !r.url.startsWith(INVENTORY_API_PREFIX));

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

export function login(fx: AdminFixture, user: string, password: string, next = '/', headers: Record<string, string> = {}): Promise<HttpResponse> {
  return fx.request('/login', { method: 'POST', headers: { ...formHeaders, ...headers }, body: new URLSearchParams({ user, password, next }).toString() });
}

export const cookieOf = (res: HttpResponse) => String(res.headers['set-cookie']).split(';')[0]!;

export interface Caller {
  name: string;
  role: 'admin' | 'viewer';
  /** Headers proving who calls; session callers get their cookie from a real sign-in. */
  headers: Record<string, string>;
}

/** Admin and viewer, each over Basic, Bearer and a login-form session. */
export async function makeCallers(fx: AdminFixture): Promise<Caller[]> {
  const session = async (user: string, password: string) => ({ cookie: cookieOf(await login(fx, user, password)) });
  return [
    { name: 'admin basic', role: 'admin', headers: { authorization: basic('alice', ALICE_PASSWORD) } },
    { name: 'admin bearer', role: 'admin', headers: { authorization: `Bearer ${BOT_TOKEN}` } },
    { name: 'admin session', role: 'admin', headers: await session('alice', ALICE_PASSWORD) },
    { name: 'viewer basic', role: 'viewer', headers: { authorization: basic('carol', CAROL_PASSWORD) } },
    { name: 'viewer bearer', role: 'viewer', headers: { authorization: `Bearer ${VIEWER_TOKEN}` } },
    { name: 'viewer session', role: 'viewer', headers: await session('carol', CAROL_PASSWORD) },
  ];
}
