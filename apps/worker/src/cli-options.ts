import { Command, InvalidArgumentError, Option } from 'commander';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import { parseTaskList } from './parse-task-list.js';

export interface WorkerCliOptions {
  tasks?: TaskName[];
  port?: number;
  host?: string;
  shutdownGraceMs?: number;
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};

const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

const taskList = (value: string): TaskName[] => {
  try {
    return parseTaskList(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** `dlsync-worker [--tasks a,b] [--port N] [--host H] [--shutdown-grace-ms N]`; usage errors exit 2. */
export function parseWorkerArgs(argv: readonly string[]): WorkerCliOptions {
  const program = new Command('dlsync-worker')
    .description(
      'Runs BullMQ workers for the dlsync task queues; each job goes through the runner. Configuration comes ' +
        'from env.yaml ($DLSYNC_CONFIG) and DLSYNC__SECTION__KEY variables. SIGTERM/SIGINT finishes or hands ' +
        'back the current jobs, then exits 0.',
    )
    .addOption(new Option('--tasks <list>', `comma-separated queues to serve (default: all of ${TASK_NAMES.join(', ')})`).argParser(taskList))
    .addOption(new Option('--port <n>', 'serve GET /healthz on this port').argParser(port))
    .addOption(new Option('--host <address>', 'listen address of /healthz').default('0.0.0.0'))
    .addOption(
      new Option('--shutdown-grace-ms <n>', 'on shutdown, abort a running job after this long').argParser(nonNegativeInt).default(30_000),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .parse(argv);
  return program.opts<WorkerCliOptions>();
}
