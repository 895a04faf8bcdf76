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

export function problemsFromZod(error: z.ZodError, prefix = ''): ConfigProblem[] {
  return error.issues.map((issue) => {
    const parts = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    return { path: parts.join('.') || '(root)', message: issue.message };
  });
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
