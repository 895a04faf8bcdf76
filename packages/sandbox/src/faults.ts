import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxResponse } from './http/kit.js';
import { htmlResponse, jsonResponse } from './http/kit.js';
import type { Rng } from './rng.js';

/** Fault knobs; every rate is a probability in [0, 1] rolled per request with the seeded RNG. */
export interface FaultSpec {
  /** Latency added before answering, in ms. (Default: 0) */
  latencyMs?: number;
  /** Uniform random extra latency in [0, jitterMs). (Default: 0) */
  jitterMs?: number;
  /** Answer 500/502/503 without running the handler. (Default: 0) */
  serverErrorRate?: number;
  /** Run the handler (the write happens) but answer 500/502/503: the client cannot tell. (Default: 0) */
  lostResponseRate?: number;
  /** Share of 5xx answers served as an HTML error page instead of JSON. (Default: 0.5) */
  htmlErrorShare?: number;
  /** DSCO: 429 with Retry-After; Lingxing: 3001008 envelope. (Default: 0) */
  throttleRate?: number;
  /** Run the handler, then hold the response for `timeoutMs`. (Default: 0) */
  timeoutRate?: number;
  /** How long a timed-out response is held; null holds it until the sandbox closes. (Default: 60000) */
  timeoutMs?: number | null;
  /** Run the handler, then send only the first half of the body (truncated JSON). (Default: 0) */
  malformedRate?: number;
}

export interface SideFaults extends FaultSpec {
  /** Per-endpoint overrides keyed by path (`/order/page`, `/pb/mp/order/v2/create`, …), merged over the side's knobs. */
  endpoints?: Record<string, FaultSpec>;
}

export type Side = 'dsco' | 'lingxing';
export type FaultConfig = Partial<Record<Side, SideFaults>>;

export type FaultKind = 'none' | 'serverError' | 'lostResponse' | 'throttle' | 'timeout' | 'malformed';

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
  errorStatus: number;
  html: boolean;
  holdMs: number | null;
}

export interface Faults {
  /** Replaces the knobs of the sides present in `config`. */
  set(config: FaultConfig): void;
  clear(): void;
  get(): FaultConfig;
  /** Invalidates every issued token of the side(s) right now. */
  revokeTokens(side?: Side | 'all'): void;
  onRevoke(listener: (side: Side) => void): void;
  decide(side: Side, path: string): FaultDecision;
}

export function makeFaults(rng: Rng): Faults {
  let config: FaultConfig = {};
  const revokeListeners: Array<(side: Side) => void> = [];
  return {
    set(next) {
      config = { ...config, ...next };
    },
    clear() {
      config = {};
    },
    get: () => config,
    revokeTokens(side = 'all') {
      for (const s of side === 'all' ? (['dsco', 'lingxing'] as const) : [side]) for (const listener of revokeListeners) listener(s);
    },
    onRevoke: (listener) => void revokeListeners.push(listener),
    decide(side, path) {
      const sideConfig = config[side] ?? {};
      const spec: FaultSpec = { ...sideConfig, ...sideConfig.endpoints?.[path] };
      const roll = rng.next();
      const jitter = rng.next();
      const status = rng.pick([500, 502, 503]);
      const html = rng.chance(spec.htmlErrorShare ?? 0.5);
      const order: Array<[FaultKind, number | undefined]> = [
        ['serverError', spec.serverErrorRate],
        ['throttle', spec.throttleRate],
        ['timeout', spec.timeoutRate],
        ['malformed', spec.malformedRate],
        ['lostResponse', spec.lostResponseRate],
      ];
      let kind: FaultKind = 'none';
      let edge = 0;
      for (const [candidate, rate] of order) {
        edge += rate ?? 0;
        if (roll < edge) {
          kind = candidate;
          break;
        }
      }
      return {
        kind,
        latencyMs: (spec.latencyMs ?? 0) + Math.floor(jitter * (spec.jitterMs ?? 0)),
        errorStatus: status,
        html,
        holdMs: spec.timeoutMs === undefined ? 60_000 : spec.timeoutMs,
      };
    },
  };
}

function serverError(decision: FaultDecision): SandboxResponse {
  const reason = decision.errorStatus === 502 ? 'Bad Gateway' : decision.errorStatus === 503 ? 'Service Unavailable' : 'Internal Server Error';
  if (decision.html) {
    return htmlResponse(decision.errorStatus, `<html><head><title>${decision.errorStatus} ${reason}</title></head><body><center><h1>${decision.errorStatus} ${reason}</h1></center><hr><center>nginx</center></body></html>`);
  }
  return jsonResponse(decision.errorStatus, { message: reason });
}

/**
 * Runs `handler` under a fault decision. Returns undefined when the response is never sent
 * (held until the sandbox closes).
 */
export async function runWithFault(
  decision: FaultDecision,
  handler: () => Promise<SandboxResponse>,
  throttled: () => SandboxResponse,
  signal: AbortSignal,
): Promise<SandboxResponse | undefined> {
  try {
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { signal });
    switch (decision.kind) {
      case 'serverError':
        return serverError(decision);
      case 'throttle':
        return throttled();
      case 'lostResponse':
        await handler();
        return serverError(decision);
      case 'malformed': {
        const response = await handler();
        return { ...response, body: response.body.slice(0, Math.max(1, Math.floor(response.body.length / 2))), headers: { ...response.headers } };
      }
      case 'timeout': {
        const response = await handler();
        if (decision.holdMs === null) {
          await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
        } else await sleep(decision.holdMs, undefined, { signal });
        return response;
      }
      default:
        return await handler();
    }
  } catch (error) {
    if (signal.aborted) return undefined;
    throw error;
  }
}
