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
