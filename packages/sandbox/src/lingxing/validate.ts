import type { z } from 'zod';
import type { World } from '../world/world.js';

export type Checked = { ok: true; body: Record<string, unknown> } | { ok: false; problem: string };

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** Removes the keys zod reported as unknown, so the rest of the body can still be read. */
function withoutUnknownKeys(body: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(body);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = copy;
    for (const key of issue.path) target = (target as Record<PropertyKey, unknown>)[key as PropertyKey];
    for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * Checks a request body against the endpoint's reference schema. A wrong type, a missing
 * required field or a value over a documented limit is refused (Lingxing answers such bodies
 * with its parameter error); an unknown field is recorded and otherwise ignored, as Lingxing
 * ignores fields it does not know. Both are violations the tests assert never happen.
 */
export function checkBody(world: World, path: string, schema: z.ZodType, body: unknown): Checked {
  const endpoint = `POST ${path}`;
  const first = schema.safeParse(body);
  if (first.success) return { ok: true, body: first.data as Record<string, unknown> };
  const unknown = first.error.issues.filter((i) => i.code === 'unrecognized_keys');
  const wrong = first.error.issues.filter((i) => i.code !== 'unrecognized_keys');
  if (unknown.length > 0) world.recorder.violation({ side: 'lingxing', endpoint, problem: `unknown fields: ${describe(unknown)}`, refused: false });
  if (wrong.length > 0) {
    const problem = describe(wrong);
    world.recorder.violation({ side: 'lingxing', endpoint, problem, refused: true });
    return { ok: false, problem };
  }
  const second = schema.safeParse(withoutUnknownKeys(body, unknown));
  if (second.success) return { ok: true, body: second.data as Record<string, unknown> };
  const problem = describe(second.error.issues);
  world.recorder.violation({ side: 'lingxing', endpoint, problem, refused: true });
  return { ok: false, problem };
}

/** Contract rules beyond one field's type, recorded without refusing (Lingxing answers, just not what the caller wants). */
export const SOFT_RULES: Record<string, (body: Record<string, unknown>) => string | undefined> = {
  '/erp/sc/routing/wms/order/wmsOrderList': (body) =>
    body.time_type === undefined || body.start_date === undefined || body.end_date === undefined
      ? 'no time_type/start_date/end_date: Lingxing lists only the last month of outbound orders'
      : undefined,
  '/pb/mp/order/v2/list': (body) =>
    body.platform_order_nos === undefined && body.platform_order_names === undefined && (body.start_time === undefined || body.end_time === undefined)
      ? 'start_time/end_time may be left out only when listing by platform order numbers'
      : undefined,
};
