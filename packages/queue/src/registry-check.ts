import { TASK_NAMES } from '@dlsync/config';
import type { TaskRegistry } from '@dlsync/runner';
import { QUEUE_NAMES } from './definitions.js';

/** Fails fast at startup when a queue has no task or a task has no queue. */
export function assertQueueRegistry(
  tasks: Partial<Record<string, unknown>> | TaskRegistry,
  queues: Record<string, string> = QUEUE_NAMES,
): void {
  const problems: string[] = [];
  for (const name of Object.keys(queues)) {
    if (typeof (tasks as Record<string, unknown>)[name] !== 'function') problems.push(`queue ${name} has no task handler`);
  }
  for (const name of Object.keys(tasks)) {
    if (!(name in queues)) problems.push(`task ${name} has no queue`);
  }
  for (const name of TASK_NAMES) {
    if (!(name in queues)) problems.push(`known task ${name} has no queue`);
  }
  if (problems.length) throw new Error(`job registry is incomplete: ${problems.join('; ')}`);
}
