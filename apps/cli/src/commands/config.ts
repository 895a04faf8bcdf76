import { Command, InvalidArgumentError, Option } from 'commander';
import { stringify as toYaml } from 'yaml';
import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from '@dlsync/config';
import type { Store } from '@dlsync/store';
import { CliError } from '../cli-error.js';
import { diffConfig, formatDiff, isEmptyDiff } from '../config-diff.js';
import { readConfigFile } from '../config-file.js';
import type { CliContext } from '../context.js';
import { requestedBy } from '../task-options.js';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/** The live version, parsed when valid (raw otherwise, so a bad stored config can still be diffed and fixed). */
async function live(store: Store): Promise<{ version: number | null; config: unknown }> {
  const latest = await store.runtimeConfig.latest();
  if (!latest) return { version: null, config: parseRuntimeConfig({}) };
  try {
    return { version: latest.version, config: parseRuntimeConfig(latest.config) };
  } catch (err) {
    if (err instanceof ConfigError) return { version: latest.version, config: latest.config };
    throw err;
  }
}

async function readValid(file: string): Promise<RuntimeConfig> {
  return parseRuntimeConfig(await readConfigFile(file), file);
}

function showCommand(ctx: CliContext): Command {
  return new Command('show')
    .description('Prints the live runtime_config (or --version N) as YAML, headed by a version comment.')
    .addOption(new Option('--version <n>', 'an older version').argParser(positiveInt))
    .addOption(new Option('--json', 'print JSON instead of YAML'))
    .action(async (options: { version?: number; json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const record = options.version ? await store.runtimeConfig.get(options.version) : await store.runtimeConfig.latest();
        if (options.version && !record) throw new CliError(`runtime_config v${options.version} does not exist`);
        const config = record?.config ?? parseRuntimeConfig({});
        const header = record
          ? `runtime_config v${record.version}, updated by ${record.updated_by} at ${record.updated_at.toISOString()}`
          : 'no runtime_config saved yet; these are the defaults';
        if (options.json) {
          ctx.output.err(header);
          ctx.output.out(JSON.stringify(config, null, 2));
        } else {
          ctx.output.out(`# ${header}\n${toYaml(config)}`);
        }
      });
    });
}

function validateCommand(ctx: CliContext): Command {
  return new Command('validate')
    .description('Checks a runtime_config file (YAML or JSON); prints one `path: message` line per problem and exits 1 if any.')
    .argument('<file>', 'YAML or JSON file')
    .action(async (file: string) => {
      const config = await readValid(file);
      const enabled = Object.entries(config.jobs).filter(([, j]) => j.enabled).map(([t]) => t);
      ctx.output.out(`${file}: valid (${enabled.length ? `enabled: ${enabled.join(', ')}` : 'no task enabled'})`);
    });
}

function diffCommand(ctx: CliContext): Command {
  return new Command('diff')
    .description('Shows what applying a file would change in the live runtime_config: + added, ~ changed, - removed keys.')
    .argument('<file>', 'YAML or JSON file')
    .action(async (file: string) => {
      const next = await readValid(file);
      await ctx.withStore(async (store) => {
        const current = await live(store);
        const diff = diffConfig(current.config, next);
        ctx.output.err(`live: ${current.version === null ? 'none saved (defaults)' : `v${current.version}`}`);
        ctx.output.out(isEmptyDiff(diff) ? 'no changes' : formatDiff(diff));
      });
    });
}

function applyCommand(ctx: CliContext): Command {
  return new Command('apply')
    .description(
      'Validates a file and saves it as the next runtime_config version, with compare-and-set on the live version ' +
        '(a concurrent edit makes it fail instead of being overwritten). Prints the diff.',
    )
    .argument('<file>', 'YAML or JSON file')
    .addOption(
      new Option('--expected-version <n>', 'refuse unless this is still the live version (e.g. the one you diffed against)').argParser(positiveInt),
    )
    .addOption(new Option('--by <name>', 'recorded as updated_by (default: cli:<user>@<host>)'))
    .action(async (file: string, options: { expectedVersion?: number; by?: string }) => {
      const next = await readValid(file);
      await ctx.withStore(async (store) => {
        const current = await live(store);
        if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
          throw new CliError(`live runtime_config is ${current.version === null ? 'unset' : `v${current.version}`}, not v${options.expectedVersion}; diff again`);
        }
        const diff = diffConfig(current.config, next);
        if (isEmptyDiff(diff)) {
          ctx.output.out(`no changes; live version stays ${current.version === null ? 'unset' : `v${current.version}`}`);
          return;
        }
        let version: number;
        try {
          version = await store.runtimeConfig.save(next, { expectedVersion: current.version, updatedBy: options.by ?? requestedBy() });
        } catch (err) {
          const { RuntimeConfigConflictError } = await import('@dlsync/store');
          if (err instanceof RuntimeConfigConflictError) throw new CliError(`${err.message}; diff again`);
          throw err;
        }
        ctx.output.out(`${formatDiff(diff)}\nsaved as v${version}`);
      });
    });
}

export function makeConfigCommand(ctx: CliContext): Command {
  return new Command('config')
    .description('Shows, validates, diffs and applies the runtime_config (mappings and job schedules).')
    .addCommand(showCommand(ctx))
    .addCommand(validateCommand(ctx))
    .addCommand(diffCommand(ctx))
    .addCommand(applyCommand(ctx));
}
