import { Command, Option } from 'commander';
import { UsageError } from '../cli-error.js';
import type { CliContext } from '../context.js';

function parseParams(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new UsageError(`--params: not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--params: must be a JSON object');
  return value as Record<string, unknown>;
}

function signCommand(ctx: CliContext): Command {
  return new Command('sign')
    .description(
      'Signs exactly the given params (include access_token, app_key and timestamp) as a Lingxing request would, ' +
        'and prints {"canonical", "md5", "sign"} as JSON. For comparing with Lingxing’s documentation or support.',
    )
    .addOption(new Option('--app-id <id>', 'Lingxing appId (16 characters: it is the AES key)').makeOptionMandatory())
    .addOption(new Option('--params <json>', 'the request parameters as a JSON object').makeOptionMandatory())
    .action(async (options: { appId: string; params: string }) => {
      const params = parseParams(options.params);
      const { sign } = await import('@dlsync/lingxing');
      let signature;
      try {
        signature = sign(params, options.appId);
      } catch (err) {
        if (err instanceof RangeError) throw new UsageError(`--app-id: ${err.message}`);
        throw err;
      }
      ctx.output.out(JSON.stringify({ canonical: signature.canonical, md5: signature.md5, sign: signature.sign }));
    });
}

export function makeLingxingCommand(ctx: CliContext): Command {
  return new Command('lingxing').description('Lingxing OpenAPI helpers.').addCommand(signCommand(ctx));
}
