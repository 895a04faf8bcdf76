import { accessSync, constants, statSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

type LaunchOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

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

/** Flags every browser test runs with: headless as root in a container, nothing fetched from the network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium on a fresh profile in `profileDir` (Playwright passes it as
 * --user-data-dir), with {@link CHROMIUM_ARGS} and a 20 s launch timeout unless `options` say
 * otherwise. A missing browser fails first with {@link ChromiumMissingError}.
 */
export function launchChromium(profileDir: string, options: LaunchOptions = {}): Promise<BrowserContext> {
  const executablePath = assertChromium();
  return chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 20_000, ...options });
}
