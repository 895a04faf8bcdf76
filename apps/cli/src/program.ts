import { Command, Option } from 'commander';
import { makeConfigCommand } from './commands/config.js';
import { makeDemoCommand } from './commands/demo.js';
import { makeEnqueueCommand } from './commands/enqueue.js';
import { makeLingxingCommand } from './commands/lingxing.js';
import { makeMigrateCommand } from './commands/migrate.js';
import { makeOrdersCommand } from './commands/orders.js';
import { makeAttentionCommand } from './commands/attention.js';
import { makePreflightCommand } from './commands/preflight.js';
import { makeRunCommand } from './commands/run.js';
import { makeSandboxCommand } from './commands/sandbox.js';
import { makeSchedulersCommand } from './commands/schedulers.js';
import { makeCliContext } from './context.js';
import type { Output } from './output.js';

const EXIT_CODES_HELP = `
Configuration: env.yaml at --config, $DLSYNC_CONFIG or ./env.yaml; every key can be overridden by a
DLSYNC__SECTION__KEY variable (see env.example.yaml). Each command reads only what it needs.

Exit codes:
  0  success (for a task run: status ok)
  1  failure: a run that is partial, failed or locked; invalid configuration; any runtime error
  2  usage error: unknown command or option, bad value`;

/** Applies settings commander only copies to subcommands created with `.command()`. */
function configureTree(command: Command, output: Output): void {
  command
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.replace(/\n$/, '')), writeErr: (s) => output.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(add --help for usage)');
  for (const sub of command.commands) configureTree(sub, output);
}

/** The `dlsync` command tree. Errors surface as exceptions (see runCli), never as process.exit. */
export function makeProgram(output?: Output): Command {
  // Read lazily: `--config` is known only once parsing has started.
  const ctx = makeCliContext({ configPath: () => program.opts<{ config?: string }>().config, ...(output ? { output } : {}) });
  const program = new Command('dlsync')
    .description('Operate the dlsync DSCO <-> Lingxing sync fleet: queue and run tasks, manage config, inspect orders, run the demo.')
    .addOption(new Option('--config <path>', 'env.yaml to read (default: $DLSYNC_CONFIG, else ./env.yaml)'))
    .addHelpText('after', EXIT_CODES_HELP)
    .addCommand(makeEnqueueCommand(ctx))
    .addCommand(makeRunCommand(ctx))
    .addCommand(makeMigrateCommand(ctx))
    .addCommand(makeConfigCommand(ctx))
    .addCommand(makeOrdersCommand(ctx))
    .addCommand(makeAttentionCommand(ctx))
    .addCommand(makeSchedulersCommand(ctx))
    .addCommand(makeSandboxCommand(ctx))
    .addCommand(makeLingxingCommand(ctx))
    .addCommand(makePreflightCommand(ctx))
    .addCommand(makeDemoCommand(ctx));
  configureTree(program, ctx.output);
  return program;
}
