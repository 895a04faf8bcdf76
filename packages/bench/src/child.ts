import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a TypeScript entry of the repo in a new node process with tsx, from the repo root. */
export function spawnTs(file: string, env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []) {
  return spawn(process.execPath, [...nodeArgs, '--conditions=dlsync-source', '--import', 'tsx', file, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Runs a child to completion and parses the last JSON line it printed. */
export async function runJsonChild<T>(file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<T> {
  const child = spawnTs(file, env, [], nodeArgs);
  let last = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.trim().startsWith('{')) last = line;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || !last) throw new Error(`${file} exited with code ${code}`);
  return JSON.parse(last) as T;
}
