import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CliError } from './cli-error.js';

/** The comment (YAML) or key (JSON) that records which live version an exported file came from. */
export const VERSION_COMMENT = 'dlsync-config-version';
export const VERSION_KEY = '$dlsync_config_version';

export interface ConfigFile {
  /** The runtime_config document, without the version marker. */
  config: unknown;
  /**
   * The live version the file was exported from: a number, null for "exported before any
   * version was saved", undefined when the file carries no marker (hand-written).
   */
  basedOn: number | null | undefined;
}

/** `# dlsync-config-version: 3` heads every exported YAML file; apply compares against it. */
export function versionComment(version: number | null): string {
  return `# ${VERSION_COMMENT}: ${version ?? 'none'} (config apply refuses this file once the live version has moved on)`;
}

function versionOfYaml(text: string): number | null | undefined {
  const match = new RegExp(`^#\\s*${VERSION_COMMENT}:\\s*(\\d+|none)\\b`, 'm').exec(text);
  if (!match) return undefined;
  return match[1] === 'none' ? null : Number(match[1]);
}

function versionOfJson(doc: unknown): { config: unknown; basedOn: number | null | undefined } {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !(VERSION_KEY in doc)) return { config: doc, basedOn: undefined };
  const { [VERSION_KEY]: raw, ...config } = doc as Record<string, unknown>;
  if (raw !== null && !(typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0)) {
    throw new CliError(`${VERSION_KEY} must be a positive integer or null`);
  }
  return { config, basedOn: raw as number | null };
}

/** A YAML parse error as one line, with a fix for the usual cause: an unquoted cron. */
function yamlReason(err: Error): string {
  const reason = (err.message.split('\n')[0] ?? '').replace(/:$/, '');
  // `cron: */5 * * * *` reads `*` as a YAML alias; the fix is quoting the value.
  if (/alias/i.test(reason)) return `${reason} (a value starting with * is a YAML alias: quote cron expressions, e.g. cron: "*/5 * * * *")`;
  return reason;
}

/** Reads a runtime_config document from a `.json` file or YAML (anything else), with its version marker. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (/\.json$/i.test(path)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new CliError(`cannot parse ${path}: ${(err as Error).message}`);
    }
    return versionOfJson(doc);
  }
  try {
    return { config: parseYaml(text) ?? {}, basedOn: versionOfYaml(text) };
  } catch (err) {
    throw new CliError(`cannot parse ${path}: ${yamlReason(err as Error)}`);
  }
}
