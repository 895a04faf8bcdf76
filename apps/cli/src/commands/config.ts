import { Command, InvalidArgumentError, Option } from 'commander';
import { stringify as toYaml } from 'yaml';
import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from '@dlsync/config';
import type { Store } from '@dlsync/store';
import { CliError } from '../cli-error.js';
import { diffConfig, formatDiff, isEmptyDiff } from '../config-diff.js';
import { readConfigFile, VERSION_COMMENT, VERSION_KEY, versionComment } from '../config-file.js';
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

async function readValid(file: string): Promise<{ config: RuntimeConfig; basedOn: number | null | undefined }> {
  const read = await readConfigFile(file);
  return { config: parseRuntimeConfig(read.config, file), basedOn: read.basedOn };
}

const versionName = (v: number | null): string => (v === null ? 'unset' : `v${v}`);

function showCommand(ctx: CliContext): Command {
  return new Command('show')
    .description(
      'Prints the live runtime_config (or --version N) as YAML, headed by a version comment that `config apply` ' +
        'compares against (JSON: a "' + VERSION_KEY + '" key).',
    )
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
        const version = record?.version ?? null;
        if (options.json) {
          ctx.output.err(header);
          ctx.output.out(JSON.stringify({ [VERSION_KEY]: version, ...(config as object) }, null, 2));
        } else {
          ctx.output.out(`# ${header}\n${versionComment(version)}\n${toYaml(config)}`);
        }
      });
    });
}

function validateCommand(ctx: CliContext): Command {
  return new Command('validate')
    .description('Checks a runtime_config file (YAML or JSON); prints one `path: message` line per problem and exits 1 if any.')
    .argument('<file>', 'YAML or JSON file')
    .action(async (file: string) => {
      const { config } = await readValid(file);
      const enabled = Object.entries(config.jobs).filter(([, j]) => j.enabled).map(([t]) => t);
      ctx.output.out(`${file}: valid (${enabled.length ? `enabled: ${enabled.join(', ')}` : 'no task enabled'})`);
    });
}

function diffCommand(ctx: CliContext): Command {
  return new Command('diff')
    .description('Shows what applying a file would change in the live runtime_config: + added, ~ changed, - removed keys.')
    .argument('<file>', 'YAML or JSON file')
    .action(async (file: string) => {
      const { config: next } = await readValid(file);
      await ctx.withStore(async (store) => {
        const current = await live(store);
        const diff = diffConfig(current.config, next);
        ctx.output.err(`live: ${current.version === null ? 'none saved (defaults)' : `v${current.version}`}`);
        ctx.output.out(isEmptyDiff(diff) ? 'no changes' : formatDiff(diff));
      });
    });
}

interface ApplyOptions {
  expectedVersion?: number;
  force?: boolean;
  by?: string;
}

/**
 * The version `apply` compares against: --expected-version, else the file's own marker. A
 * file without one may only create the first version; over a live config it needs either.
 */
function expectedVersionOf(options: ApplyOptions, basedOn: number | null | undefined, live: number | null, file: string): number | null {
  if (options.expectedVersion !== undefined) return options.expectedVersion;
  if (basedOn !== undefined) return basedOn;
  if (live === null) return null;
  throw new CliError(
    `${file} does not say which version it was exported from (no "# ${VERSION_COMMENT}: N" line); ` +
      `export it with \`dlsync config show\`, or pass --expected-version ${live} after \`dlsync config diff\`, or --force`,
  );
}

function applyCommand(ctx: CliContext): Command {
  return new Command('apply')
    .description(
      'Validates a file and saves it as the next runtime_config version, compare-and-set against the version the file ' +
        'was exported from (its version comment) or --expected-version: if someone saved since, it refuses instead of ' +
        'undoing their change. --force overwrites whatever is live and prints what that removes. Prints the diff.',
    )
    .argument('<file>', 'YAML or JSON file')
    .addOption(
      new Option('--expected-version <n>', 'refuse unless this is still the live version (overrides the file\'s version comment)').argParser(positiveInt),
    )
    .addOption(new Option('--force', 'overwrite the live version whatever it is (prints every key this removes)').conflicts('expectedVersion'))
    .addOption(new Option('--by <name>', 'recorded as updated_by (default: cli:<user>@<host>)'))
    .action(async (file: string, options: ApplyOptions) => {
      const { config: next, basedOn } = await readValid(file);
      await ctx.withStore(async (store) => {
        const current = await live(store);
        const diff = diffConfig(current.config, next);
        if (isEmptyDiff(diff)) {
          ctx.output.out(`no changes; live version stays ${versionName(current.version)}`);
          return;
        }
        if (!options.force) {
          const expected = expectedVersionOf(options, basedOn, current.version, file);
          if (expected !== current.version) {
            throw new CliError(
              `live runtime_config is ${versionName(current.version)}, not ${versionName(expected)}; diff again ` +
                `(applying would undo what was saved since; --force overwrites)`,
            );
          }
        } else if (diff.removed.length) {
          ctx.output.err(`--force: removing ${diff.removed.length} key(s) from ${versionName(current.version)}:\n${formatDiff({ added: [], changed: [], removed: diff.removed })}`);
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
