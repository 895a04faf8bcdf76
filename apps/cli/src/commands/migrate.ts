import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function makeMigrateCommand(ctx: CliContext): Command {
  return new Command('migrate')
    .description('Applies pending SQL migrations to postgres.url (safe to run concurrently and repeatedly).')
    .action(async () => {
      const env = ctx.env(['postgres']);
      const { migrate } = await import('@dlsync/store');
      const result = await migrate(env.postgres.url!, { log: (m) => ctx.output.err(m) });
      for (const name of result.applied) ctx.output.out(`applied ${name}`);
      ctx.output.out(
        result.applied.length ? `${result.applied.length} migration(s) applied` : `up to date (${result.skipped.length} migration(s) already applied)`,
      );
    });
}
