import type { z } from 'zod';

export interface ConfigProblem {
  path: string;
  message: string;
}

/** A config that failed validation; `message` is one `path.to.key: message` line per problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly problems: ConfigProblem[],
    readonly source?: string,
  ) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/**
 * One problem per zod issue, each at its full dotted path. An unknown key is reported at its
 * own path (`postgres.urlx: unknown key`) rather than zod's list on the parent object, so every
 * line names exactly the key to fix.
 */
export function problemsFromZod(error: z.ZodError, prefix = ''): ConfigProblem[] {
  const at = (path: readonly PropertyKey[]) => [...(prefix ? [prefix] : []), ...path.map(String)].join('.') || '(root)';
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'unknown key' }))
      : [{ path: at(issue.path), message: issue.message }],
  );
}

/**
 * For process entry points: prints a ConfigError as its `path: message` lines and exits 1
 * (no stack trace); anything else is rethrown.
 */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`invalid configuration${err.source ? ` (${err.source})` : ''}:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
