import { TASK_NAMES, isTaskName, type TaskName } from '@dlsync/config';

/**
 * Reads a comma-separated task list (`pull_dsco_orders,push_to_lingxing`). Blank entries are
 * ignored and duplicates dropped; an unknown name throws, listing the known ones.
 */
export function parseTaskList(value: string): TaskName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new RangeError(`no task given (known: ${TASK_NAMES.join(', ')})`);
  const unknown = names.filter((n) => !isTaskName(n));
  if (unknown.length) throw new RangeError(`unknown task ${unknown.join(', ')} (known: ${TASK_NAMES.join(', ')})`);
  return [...new Set(names as TaskName[])];
}
