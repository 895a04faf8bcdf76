import { Command, Option } from 'commander';
import { CliError, EXIT } from '../cli-error.js';
import type { CliContext } from '../context.js';

export function makePreflightCommand(ctx: CliContext): Command {
  return new Command('preflight')
    .description(
      'Checks the configured real services against the live mapping, reading only: DSCO credentials and warehouse ' +
        'codes (mapping.warehouse keys); Lingxing credentials, IP whitelist, API grants, stores (mapping.shop), ' +
        'warehouses (mapping.warehouse values) and logistics types (mapping.shipment); the timezone against ' +
        "Lingxing's clock. Each check prints ok, or the problem and the fix. Run it before go-live and after every mapping change.",
    )
    .addOption(new Option('--json', 'print the checks as JSON ({ok, checkedAt, checks: [{id, title, status, detail, problems, fix}]})'))
    .addHelpText('after', '\nExit codes: 0 every check passed (or was skipped); 1 a check failed or the configuration is invalid; 2 usage error.')
    .action(async (options: { json?: boolean }) => {
      ctx.env(['postgres', 'redis', 'dsco', 'lingxing']);
      const { formatPreflight, runServicesPreflight, saveLastPreflight } = await import('@dlsync/services');
      await ctx.withServices(async (services) => {
        const report = await runServicesPreflight(services);
        // The admin overview shows the newest report (it has no DSCO or Lingxing credentials to run one).
        await saveLastPreflight(services.redis, services.prefix, report);
        ctx.output.out(options.json ? JSON.stringify(report, null, 2) : formatPreflight(report));
        const failedCount = report.checks.filter((c) => c.status === 'fail').length;
        if (!report.ok) throw new CliError(`preflight: ${failedCount} check${failedCount === 1 ? '' : 's'} failed`, EXIT.failed);
      }, 'warn');
    });
}
