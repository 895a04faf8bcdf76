/**
 * Runs the sandbox until SIGINT/SIGTERM.
 * Flags (argv or env): --port-dsco / SANDBOX_PORT_DSCO, --port-lingxing / SANDBOX_PORT_LINGXING,
 * --seed-orders / SANDBOX_SEED_ORDERS, --seed / SANDBOX_SEED.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.js';

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'port-dsco': { type: 'string' },
      'port-lingxing': { type: 'string' },
      'seed-orders': { type: 'string' },
      seed: { type: 'string' },
      host: { type: 'string' },
    },
    allowPositionals: true,
  });
  const env = process.env;
  const sandbox = await startSandbox({
    host: values.host ?? env.SANDBOX_HOST,
    portDsco: intFlag('--port-dsco', values['port-dsco'] ?? env.SANDBOX_PORT_DSCO),
    portLingxing: intFlag('--port-lingxing', values['port-lingxing'] ?? env.SANDBOX_PORT_LINGXING),
    seedOrders: intFlag('--seed-orders', values['seed-orders'] ?? env.SANDBOX_SEED_ORDERS),
    seed: intFlag('--seed', values.seed ?? env.SANDBOX_SEED),
  });
  console.log(`DSCO     ${sandbox.dscoUrl}`);
  console.log(`Lingxing ${sandbox.lingxingUrl}`);
  console.log(`Control  ${sandbox.controlUrl}`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
