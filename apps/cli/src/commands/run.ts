import { Command, Option } from 'commander';
import type { TaskName } from '@dlsync/config';
import { CliError, EXIT } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { formatReport } from '../format/report.js';
import { exitCodeOf } from '../report-exit-code.js';
import { taskJobData, withTaskArguments, type TaskOptions } from '../task-options.js';

interface RunOptions extends TaskOptions {
  json?: boolean;
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

export function makeRunCommand(ctx: CliContext): Command {
  return withTaskArguments(new Command('run'))
    .description(
      'Runs a task in this process through the runner (same lock, config snapshot and Report as a worker), for ' +
        'debugging. Logs go to stderr, the Report to stdout. Ctrl-C aborts the run.',
    )
    .addOption(new Option('--json', 'print the Report as JSON'))
    .addOption(new Option('--log-level <level>', 'log level of the run (default: env log.level)').choices(['error', 'warn', 'info', 'debug']))
    .addHelpText('after', '\nExit codes: 0 status ok; 1 partial (some orders failed), failed or locked; 2 usage error.')
    .action(async (task: TaskName, options: RunOptions) => {
      const { data } = await taskJobData(task, options);
      const { runTask } = await import('@dlsync/runner');
      const { requestedBy: _requestedBy, ...input } = data;
      ctx.env(['postgres', 'redis', 'dsco', 'lingxing']);
      await ctx.withServices(async (services) => {
        const abort = new AbortController();
        const onSigint = (): void => abort.abort(new Error('interrupted (SIGINT)'));
        process.once('SIGINT', onSigint);
        try {
          const report = await runTask(task, input, {
            ...services.runner,
            signal: abort.signal,
            onProgress: (p) => ctx.output.err(`progress ${p}%`),
          });
          ctx.output.out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
          const code = exitCodeOf(report);
          if (code !== EXIT.ok) throw new CliError(`${task} run ${report.runId} ended ${report.status}`, code);
        } finally {
          process.off('SIGINT', onSigint);
        }
      }, options.logLevel);
    });
}
