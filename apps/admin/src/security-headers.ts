import type { FastifyInstance } from 'fastify';

/** JSON, metrics and error answers: nothing to load, nothing to frame. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Bull Board's prebuilt UI: its own scripts and styles (inline style attributes included) from
 * this origin, no third-party fonts, and never inside a frame.
 */
const BOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * Headers on every answer (pages, API, Bull Board, errors, 404s): no sniffing, no framing, no
 * referrer to other sites, and a CSP unless the route set its own (the pages set nonce CSPs).
 */
export function installSecurityHeaders(app: FastifyInstance, options: { boardPath: string }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) {
      const board = request.routeOptions.url?.startsWith(options.boardPath) ?? false;
      reply.header('content-security-policy', board ? BOARD_CSP : DATA_CSP);
    }
    return payload;
  });
}
