import type { z } from 'zod';
import { BadRequestBodyError, parseJsonBody, type SandboxRequest, type SandboxResponse } from '../http/kit.js';
import type { Recorder } from '../world/recorder.js';
import { dscoError, validationFailed } from './errors.js';
import { describeIssues, oauthTokenForm, QUERY_SCHEMAS, queryObject } from './request-schemas.js';

/**
 * DSCO's body limit of the write endpoints: "up to 5 megabytes" (read as 5,000,000 bytes, the
 * stricter reading, so a client that fits here fits DSCO either way).
 */
export const DSCO_MAX_BODY_BYTES = 5_000_000;

/** Order page's repeated parameter (the change logs' `status` is a single value). */
const REPEATED_QUERY = ['status'];

/** What a contract check decided: go on (with the parsed value), or answer with `response`. */
export type Checked<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

function refuse(recorder: Recorder, endpoint: string, problems: string[], response: SandboxResponse): { ok: false; response: SandboxResponse } {
  for (const problem of problems) recorder.violation({ side: 'dsco', endpoint, problem, refused: true });
  return { ok: false, response };
}

/**
 * The checks every DSCO request gets before its handler: the declared content type (JSON
 * everywhere but the token form: recorded, not refused, as DSCO's gateway may be lenient),
 * the 5 MB body limit (413) and the query parameters the reference defines (400).
 */
export function checkRequest(request: SandboxRequest, endpoint: string, recorder: Recorder): Checked<undefined> {
  const type = request.headers['content-type'] ?? '';
  const expected = endpoint === 'POST /oauth2/token' ? 'application/x-www-form-urlencoded' : 'application/json';
  if (!type.toLowerCase().includes(expected)) {
    recorder.violation({ side: 'dsco', endpoint, problem: `Content-Type is "${type}", expected ${expected}`, refused: false });
  }
  if (request.body.length > DSCO_MAX_BODY_BYTES) {
    const problem = `body of ${request.body.length} bytes exceeds the 5 MB limit (${DSCO_MAX_BODY_BYTES})`;
    return refuse(recorder, endpoint, [problem], dscoError(413, 'PAYLOAD_TOO_LARGE', problem));
  }
  if (endpoint === 'POST /oauth2/token') checkTokenRequest(request, endpoint, recorder);
  const schema = QUERY_SCHEMAS[endpoint];
  if (schema) {
    const parsed = schema.safeParse(queryObject(request.query, endpoint === 'GET /order/page' ? REPEATED_QUERY : []));
    if (!parsed.success) {
      const problems = describeIssues(parsed.error.issues).map((p) => `query ${p}`);
      return refuse(recorder, endpoint, problems, validationFailed(problems));
    }
  }
  return { ok: true, value: undefined };
}

/**
 * The token request: form fields per the reference, never credentials in the URL (recorded;
 * the token endpoint itself answers with OAuth's `{error, error_description}`).
 */
function checkTokenRequest(request: SandboxRequest, endpoint: string, recorder: Recorder): void {
  for (const key of ['client_secret', 'client_id']) {
    if (request.query.has(key)) recorder.violation({ side: 'dsco', endpoint, problem: `${key} sent in the URL`, refused: false });
  }
  const form = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
  const parsed = oauthTokenForm.safeParse(form);
  if (!parsed.success) {
    for (const problem of describeIssues(parsed.error.issues)) recorder.violation({ side: 'dsco', endpoint, problem: `form ${problem}`, refused: false });
  }
}

/** Deletes the keys zod reported as unrecognized, so the rest can be validated on its own. */
function stripUnknown(raw: unknown, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = raw;
    for (const step of issue.path) target = (target as Record<PropertyKey, unknown> | undefined)?.[step as PropertyKey];
    if (target && typeof target === 'object') for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
  }
}

/**
 * Parses and validates a JSON write body against its reference schema. Unknown fields are
 * recorded as violations and dropped (DSCO ignores what it does not know); a wrong type, a
 * missing required field or an unparsable body is refused with DSCO's 400.
 */
export function parseDscoBody<T>(request: SandboxRequest, endpoint: string, schema: z.ZodType<T>, recorder: Recorder): Checked<T> {
  let raw: unknown;
  try {
    raw = parseJsonBody(request);
  } catch (error) {
    if (error instanceof BadRequestBodyError) return refuse(recorder, endpoint, [error.message], validationFailed(error.message));
    throw error;
  }
  let parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    for (const problem of describeIssues(unknown)) recorder.violation({ side: 'dsco', endpoint, problem: `unknown field: ${problem}`, refused: false });
    if (unknown.length === parsed.error.issues.length) {
      stripUnknown(raw, unknown);
      parsed = schema.safeParse(raw);
    }
  }
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = describeIssues(parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys'));
  return refuse(recorder, endpoint, problems, validationFailed(problems.length > 0 ? problems : describeIssues(parsed.error.issues)));
}
