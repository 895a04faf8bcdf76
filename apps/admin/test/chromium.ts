import { accessSync, constants, statSync } from 'node:fs';

/** Where the browser tests find Chromium: `$CHROMIUM_PATH`, else Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Thrown before Playwright runs, so the report is one line saying what to do, not a stack. */
export class ChromiumMissingError extends Error {
  override name = 'ChromiumMissingError';
  constructor(path: string) {
    super(`Chromium not found at ${path}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH)`);
    // Jest prints the stack under the message; this failure has nothing to trace.
    this.stack = this.message;
  }
}

/** Throws ChromiumMissingError unless `path` is an executable file. */
export function assertChromium(path: string = CHROMIUM_PATH): string {
  try {
    accessSync(path, constants.X_OK);
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new ChromiumMissingError(path);
  }
  return path;
}
