import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../context.js';
import { formatPairs } from '../format/table.js';

const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

/** Resolves on the first SIGINT/SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function makeSandboxCommand(ctx: CliContext): Command {
  return new Command('sandbox')
    .description('Starts the fake DSCO and Lingxing servers (packages/sandbox) until Ctrl-C and prints their URLs and credentials.')
    .addOption(new Option('--seed-orders <n>', 'orders generated at start').argParser(nonNegativeInt).default(0))
    .addOption(new Option('--seed <n>', 'world and fault RNG seed').argParser(nonNegativeInt).default(1))
    .addOption(new Option('--port-dsco <n>', 'DSCO port (0: any free port)').argParser(nonNegativeInt).default(0))
    .addOption(new Option('--port-lingxing <n>', 'Lingxing port (0: any free port)').argParser(nonNegativeInt).default(0))
    .addOption(new Option('--host <address>', 'listen address').default('127.0.0.1'))
    .action(async (options: { seedOrders: number; seed: number; portDsco: number; portLingxing: number; host: string }) => {
      const { startSandbox } = await import('@dlsync/sandbox');
      const sandbox = await startSandbox({
        seedOrders: options.seedOrders,
        seed: options.seed,
        portDsco: options.portDsco,
        portLingxing: options.portLingxing,
        host: options.host,
      });
      const c = sandbox.credentials;
      ctx.output.out(
        formatPairs([
          ['DSCO', sandbox.dscoUrl],
          ['Lingxing', sandbox.lingxingUrl],
          ['Control', sandbox.controlUrl],
          ['seeded orders', options.seedOrders],
        ]),
      );
      ctx.output.out(
        [
          '',
          '# point dlsync at it:',
          `DLSYNC__INTEGRATION__DSCO__BASE_URL=${sandbox.dscoUrl}`,
          `DLSYNC__INTEGRATION__LINGXING__BASE_URL=${sandbox.lingxingUrl}`,
          `DLSYNC__INTEGRATION__LINGXING__PLATFORM_CODE=${sandbox.options.platformCode}`,
          `DLSYNC__AUTH__DSCO__TOKEN=${c.dscoToken}`,
          `DLSYNC__AUTH__LINGXING__APP_ID=${c.lingxingAppId}`,
          `DLSYNC__AUTH__LINGXING__APP_SECRET=${c.lingxingAppSecret}`,
          '',
          `# suggested mapping: GET ${sandbox.controlUrl}/mapping ; Ctrl-C stops`,
        ].join('\n'),
      );
      await untilSignal();
      await sandbox.close();
    });
}
