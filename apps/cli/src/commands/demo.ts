import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
};
const positiveInt = (value: string): number => {
  const n = positive(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

interface DemoCliOptions {
  orders: number;
  seed: number;
  timeout: number;
  advance: number;
  workers: number;
  serve?: boolean;
  verbose?: boolean;
  connectionDir?: string;
}

export function makeDemoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description(
      'End-to-end demo on this machine: Postgres + Redis (DATABASE_URL/REDIS_URL, else testcontainers, else local ' +
        'binaries), a seeded sandbox, scheduler + workers + admin as child processes; runs until every order that ' +
        'can complete is done (status 5), then prints a summary. Exit 0 when all of them made it.',
    )
    .addOption(new Option('--orders <n>', 'orders seeded in the sandbox').argParser(positiveInt).default(300))
    .addOption(new Option('--seed <n>', 'sandbox world seed').argParser(positiveInt).default(1))
    .addOption(new Option('--timeout <seconds>', 'give up after this long').argParser(positive).default(180))
    .addOption(new Option('--advance <minutes>', 'simulated minutes per wall second (Lingxing fulfilment speed)').argParser(positive).default(10))
    .addOption(new Option('--workers <n>', 'worker processes').argParser(positiveInt).default(2))
    .addOption(new Option('--serve', 'afterwards keep admin and Bull Board up and print URL, login and how to point the CLI at it until Ctrl-C (which stops the fleet, then the infra)'))
    .addOption(new Option('--connection-dir <dir>', 'with --serve: where demo.yaml / demo.env for the CLI go (default: ./.dlsync)'))
    .addOption(new Option('--verbose', 'echo every child log line (default: errors only; all logs go to files)'))
    .action(async (options: DemoCliOptions) => {
      const { runDemo } = await import('../demo/run-demo.js');
      const abort = new AbortController();
      const onSignal = (): void => abort.abort(new Error('interrupted'));
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await runDemo({
          orders: options.orders,
          seed: options.seed,
          timeoutSeconds: options.timeout,
          advanceMinutesPerSecond: options.advance,
          workers: options.workers,
          serve: options.serve ?? false,
          verbose: options.verbose ?? false,
          ...(options.connectionDir ? { connectionDir: options.connectionDir } : {}),
          output: ctx.output,
          signal: abort.signal,
        });
        if (abort.signal.aborted && !options.serve) throw new CliError('demo interrupted');
        if (!result.allEligibleDone) {
          throw new CliError(`demo incomplete: ${result.eligibleDone}/${result.eligible} eligible orders reached status 5`);
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
