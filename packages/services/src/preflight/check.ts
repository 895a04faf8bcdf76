/** ok: verified; fail: wrong, with the problems and the fix; skipped: could not be checked (why in `detail`). */
export type PreflightStatus = 'ok' | 'fail' | 'skipped';

/** One preflight check: what it verified or what is wrong, and how to fix it. */
export interface PreflightCheck {
  /** Stable id for scripts, e.g. `lingxing.stores`. */
  id: string;
  title: string;
  status: PreflightStatus;
  /** One line: what was verified (ok), why it could not be checked (skipped), or the summary (fail). */
  detail: string;
  /** One entry per offending item, each naming its config key path. */
  problems: string[];
  /** What the operator does about it (fail only). */
  fix?: string;
}

export interface PreflightReport {
  /** True when no check failed (skipped checks do not fail the preflight by themselves). */
  ok: boolean;
  /** ISO time the preflight ran. */
  checkedAt: string;
  checks: PreflightCheck[];
}

export const passed = (id: string, title: string, detail: string): PreflightCheck => ({ id, title, status: 'ok', detail, problems: [] });

export const skipped = (id: string, title: string, detail: string): PreflightCheck => ({ id, title, status: 'skipped', detail, problems: [] });

export function failed(id: string, title: string, detail: string, problems: string[], fix: string): PreflightCheck {
  return { id, title, status: 'fail', detail, problems, fix };
}

/** A check built from its problems: ok when there are none. */
export function checkFrom(id: string, title: string, okDetail: string, problems: string[], fix: string): PreflightCheck {
  if (problems.length === 0) return passed(id, title, okDetail);
  return failed(id, title, `${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems, fix);
}

/** The message of an unknown failure, without a stack. */
export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
