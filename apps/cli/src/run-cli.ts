import { CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from '@dlsync/config';
import { redactString } from '@dlsync/logger';
import { CliError, EXIT } from './cli-error.js';
import { stdio, type Output } from './output.js';
import { makeProgram } from './program.js';

/** One clear message per error, no stack traces; returns the exit code. */
export function reportError(err: unknown, output: Output): number {
  if (err instanceof CommanderError) {
    // commander has already printed the message (or the help).
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ConfigError) {
    output.err(`invalid configuration${err.source ? ` (${err.source})` : ''}:\n${redactString(err.message)}`);
    return EXIT.failed;
  }
  if (err instanceof ZodError) {
    output.err(err.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('\n'));
    return EXIT.usage;
  }
  if (err instanceof CliError) {
    output.err(redactString(err.message));
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  output.err(`error: ${redactString(message)}`);
  if (process.env.DLSYNC_DEBUG && err instanceof Error && err.stack) output.err(redactString(err.stack));
  return EXIT.failed;
}

/** Parses `argv` (process.argv shape) and runs the command; resolves with the exit code. */
export async function runCli(argv: readonly string[], output: Output = stdio): Promise<number> {
  try {
    await makeProgram(output).parseAsync(argv as string[]);
    return EXIT.ok;
  } catch (err) {
    return reportError(err, output);
  }
}
