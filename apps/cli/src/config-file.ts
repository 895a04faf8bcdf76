import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CliError } from './cli-error.js';

/** Reads a runtime_config document from a `.json` file or YAML (anything else). */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return /\.json$/i.test(path) ? JSON.parse(text) : (parseYaml(text) ?? {});
  } catch (err) {
    // Only the first line: the YAML parser appends an excerpt of the file.
    const reason = ((err as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    throw new CliError(`cannot parse ${path}: ${reason}`);
  }
}
