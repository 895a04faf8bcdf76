import { CronExpressionParser } from 'cron-parser';

/**
 * Why BullMQ would refuse `expression`, or undefined when it takes it. Parsed with the parser
 * and version BullMQ's job schedulers use (cron-parser, pinned to bullmq's own dependency) and
 * asked for its next fire time the way they do, so what is accepted when runtime_config is saved
 * is exactly what the scheduler can apply.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return 'must be a 5- or 6-field cron expression';
  try {
    CronExpressionParser.parse(expression).next();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * `input` with every job cron BullMQ would refuse taken out (so its default stands in), and the
 * `path: problem` of each. For readers that do not schedule — a run needs its mapping and
 * options, not its cron — so a cron saved before crons were validated never stops every task.
 */
export function withoutInvalidCrons(input: unknown): { config: unknown; dropped: string[] } {
  const jobs = input && typeof input === 'object' ? (input as { jobs?: unknown }).jobs : undefined;
  if (!jobs || typeof jobs !== 'object' || Array.isArray(jobs)) return { config: input, dropped: [] };
  const dropped: string[] = [];
  const cleaned: Record<string, unknown> = {};
  for (const [task, job] of Object.entries(jobs as Record<string, unknown>)) {
    const cron = job && typeof job === 'object' ? (job as { cron?: unknown }).cron : undefined;
    const problem = typeof cron === 'string' ? cronProblem(cron) : undefined;
    if (problem) {
      const { cron: _bad, ...rest } = job as Record<string, unknown>;
      cleaned[task] = rest;
      dropped.push(`jobs.${task}.cron: invalid cron ${JSON.stringify(cron)}: ${problem}`);
    } else cleaned[task] = job;
  }
  return { config: dropped.length > 0 ? { ...(input as object), jobs: cleaned } : input, dropped };
}
