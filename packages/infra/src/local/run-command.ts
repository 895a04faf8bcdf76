import { execFile, spawnSync } from 'node:child_process';

/**
 * Who runs the server binaries. Postgres refuses to run as root, so a root process runs them as
 * the `postgres` user through runuser; anyone else runs them as themselves.
 */
export interface RunAs {
  user?: string;
}

function argv(runAs: RunAs, file: string, args: readonly string[]): [string, string[]] {
  return runAs.user ? ['runuser', ['-u', runAs.user, '--', file, ...args]] : [file, [...args]];
}

/** Runs a command to completion; a non-zero exit rejects with its output in the message. */
export function runCommand(runAs: RunAs, file: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, cmdArgs] = argv(runAs, file, args);
  return new Promise((resolve, reject) => {
    execFile(cmd, cmdArgs, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const output = `${stderr}${stdout}`.trim();
        reject(new Error(`${file.split('/').pop()} ${args[0] ?? ''} failed: ${output || err.message}`));
        return;
      }
      resolve(stdout);
    });
  });
}

/** For exit handlers, where nothing asynchronous runs any more. Errors are ignored. */
export function runCommandSync(runAs: RunAs, file: string, args: readonly string[], timeoutMs = 10_000): void {
  const [cmd, cmdArgs] = argv(runAs, file, args);
  spawnSync(cmd, cmdArgs, { timeout: timeoutMs, stdio: 'ignore' });
}

/** uid/gid of a local user, via `id` (no passwd parsing, works with NSS). */
export async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([runCommand({}, 'id', ['-u', user]), runCommand({}, 'id', ['-g', user])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
