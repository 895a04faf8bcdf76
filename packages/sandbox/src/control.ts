import { z } from 'zod';
import type { FaultConfig, Faults } from './faults.js';
import { BadRequestBodyError, jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from './http/kit.js';
import type { SandboxState, StateOptions } from './state.js';
import type { AddOrderInput, World } from './world/world.js';

export const CONTROL_PREFIX = '/_control';

export interface ControlDeps {
  world: World;
  faults: Faults;
  advance(ms: number): void;
  state(options: StateOptions): SandboxState;
  reset(): void;
}

const timeInput = z.union([z.string(), z.number()]);
const seedBody = z.object({
  count: z.number().int().min(0).max(1_000_000),
  seed: z.number().int().optional(),
  createdFrom: timeInput.optional(),
  createdTo: timeInput.optional(),
  mix: z.record(z.string(), z.number().min(0).max(1)).optional(),
});
const advanceBody = z.object({ seconds: z.number().nonnegative() });
const faultSpec = z.object({
  latencyMs: z.number().nonnegative().optional(),
  jitterMs: z.number().nonnegative().optional(),
  serverErrorRate: z.number().min(0).max(1).optional(),
  lostResponseRate: z.number().min(0).max(1).optional(),
  htmlErrorShare: z.number().min(0).max(1).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  timeoutMs: z.number().nonnegative().nullable().optional(),
  malformedRate: z.number().min(0).max(1).optional(),
});
const sideFaults = faultSpec.extend({ endpoints: z.record(z.string(), faultSpec).optional() });
const faultsBody = z.object({
  dsco: sideFaults.optional(),
  lingxing: sideFaults.optional(),
  clear: z.boolean().optional(),
  revokeTokens: z.enum(['dsco', 'lingxing', 'all']).optional(),
});

const badRequest = (message: string): SandboxResponse => jsonResponse(400, { error: message });

function body<T>(request: SandboxRequest, schema: z.ZodType<T>): T | SandboxResponse {
  let raw: unknown = {};
  try {
    if (request.body.length > 0) raw = parseJsonBody(request);
  } catch (error) {
    if (error instanceof BadRequestBodyError) return badRequest(error.message);
    throw error;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

const isResponse = (value: unknown): value is SandboxResponse =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value && typeof (value as SandboxResponse).body === 'string';

/** The `/_control` API shared by both ports (see README.md). */
export function handleControl(request: SandboxRequest, deps: ControlDeps): SandboxResponse {
  const route = `${request.method} ${request.path.slice(CONTROL_PREFIX.length) || '/'}`;
  try {
    switch (route) {
      case 'GET /state': {
        const po = request.query.get('po') ?? undefined;
        return jsonResponse(200, deps.state({ orders: request.query.get('orders') !== '0', poNumber: po }));
      }
      case 'GET /violations':
        return jsonResponse(200, { violations: deps.state({ orders: false }).violations });
      case 'GET /mapping':
        return jsonResponse(200, deps.world.suggestedMapping());
      case 'POST /seed': {
        const input = body(request, seedBody);
        return isResponse(input) ? input : jsonResponse(200, deps.world.seedOrders(input));
      }
      case 'POST /orders': {
        const input = body(request, z.record(z.string(), z.unknown()));
        if (isResponse(input)) return input;
        const created = deps.world.addOrder(input as AddOrderInput);
        return jsonResponse(200, { order: created.order, scenario: created.scenario });
      }
      case 'POST /advance': {
        const input = body(request, advanceBody);
        if (isResponse(input)) return input;
        deps.advance(input.seconds * 1000);
        return jsonResponse(200, deps.state({ orders: false }).clock);
      }
      case 'GET /faults':
        return jsonResponse(200, deps.faults.get());
      case 'POST /faults': {
        const input = body(request, faultsBody);
        if (isResponse(input)) return input;
        if (input.clear) deps.faults.clear();
        const config: FaultConfig = {};
        if (input.dsco) config.dsco = input.dsco;
        if (input.lingxing) config.lingxing = input.lingxing;
        deps.faults.set(config);
        if (input.revokeTokens) deps.faults.revokeTokens(input.revokeTokens);
        return jsonResponse(200, deps.faults.get());
      }
      case 'POST /reset':
        deps.reset();
        return jsonResponse(200, { ok: true });
      default:
        return jsonResponse(404, { error: `no control route ${route}` });
    }
  } catch (error) {
    if (error instanceof RangeError || (error instanceof Error && error.message.startsWith('duplicate'))) return badRequest(error.message);
    throw error;
  }
}
