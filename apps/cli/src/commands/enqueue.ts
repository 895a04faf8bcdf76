import { Command, InvalidArgumentError, Option } from 'commander';
import type { TaskName } from '@dlsync/config';
import { CliError, EXIT } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { formatReport } from '../format/report.js';
import { exitCodeOf } from '../report-exit-code.js';
import { taskJobData, withTaskArguments, type TaskOptions } from '../task-options.js';

interface EnqueueOptions extends TaskOptions {
  wait?: boolean;
  timeout?: number;
  json?: boolean;
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
};

export function makeEnqueueCommand(ctx: CliContext): Command {
  return withTaskArguments(new Command('enqueue'))
    .description('Adds a manual job to the task queue; a worker runs it. With --wait, follows it and prints its Report.')
    .addOption(new Option('--wait', 'wait for the job, show progress and print the Report; exit code follows the run status'))
    .addOption(new Option('--timeout <seconds>', 'with --wait: stop waiting after this long (the job goes on)').argParser(seconds))
    .addOption(new Option('--json', 'with --wait: print the Report as JSON'))
    .addHelpText('after', '\nExit codes with --wait: 0 status ok; 1 partial (some orders failed), failed, locked, or the job failed; 2 usage error.')
    .action(async (task: TaskName, options: EnqueueOptions) => {
      const { input } = await taskJobData(task, options);
      const [{ enqueue }, { watchQueue }] = await Promise.all([import('@dlsync/queue'), import('../wait-for-job.js')]);
      await ctx.withQueues(async (queues, { env }) => {
        const queue = queues[task];
        const watch = options.wait ? await watchQueue(queue, env.redis.url!) : undefined;
        try {
          const job = await enqueue(queues, task, input);
          ctx.output.err(`enqueued ${task} job ${job.id}`);
          if (!watch) {
            ctx.output.out(String(job.id));
            return;
          }
          const outcome = await watch.wait(job, {
            onEvent: (line) => ctx.output.err(line),
            ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}),
          });
          if (outcome.state === 'timeout') {
            throw new CliError(`stopped waiting after ${options.timeout}s; job ${job.id} is ${outcome.current}`);
          }
          if (outcome.state === 'failed') {
            throw new CliError(`job ${job.id} failed after ${outcome.attempts} attempt(s): ${outcome.reason}`);
          }
          ctx.output.out(options.json ? JSON.stringify(outcome.report, null, 2) : formatReport(outcome.report));
          const code = exitCodeOf(outcome.report);
          if (code !== EXIT.ok) throw new CliError(`${task} run ${outcome.report.runId} ended ${outcome.report.status}`, code);
        } finally {
          await watch?.close();
        }
      });
    });
}
