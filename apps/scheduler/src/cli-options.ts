import { Command, InvalidArgumentError, Option } from 'commander';

export interface SchedulerCliOptions {
  pollMs: number;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/** `dlsync-scheduler [--poll-ms N]`; usage errors exit 2. */
export function parseSchedulerArgs(argv: readonly string[]): SchedulerCliOptions {
  const program = new Command('dlsync-scheduler')
    .description(
      'Keeps one BullMQ job scheduler per enabled task in line with the live runtime_config: reconciles at start ' +
        'and whenever a new config version appears. Running two at once is harmless. Configuration comes from ' +
        'env.yaml ($DLSYNC_CONFIG) and DLSYNC__SECTION__KEY variables; only postgres and redis are needed.',
    )
    .addOption(new Option('--poll-ms <n>', 'how often to check runtime_config for a new version').argParser(positiveInt).default(5_000))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .parse(argv);
  return program.opts<SchedulerCliOptions>();
}
