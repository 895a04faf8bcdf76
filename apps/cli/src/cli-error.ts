/** Exit codes of `dlsync` (documented in `dlsync --help`). */
export const EXIT = {
  /** Done; for a task run: status ok. */
  ok: 0,
  /** Something did not succeed: a run that failed, was locked out or had failed orders, or any runtime error. */
  failed: 1,
  /** Bad command line: unknown command or option, bad value. */
  usage: 2,
} as const;

/** An error shown as its message alone (no stack) with a given exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Bad input on the command line: exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
