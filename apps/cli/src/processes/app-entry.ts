import { fileURLToPath } from 'node:url';

/** The dlsync processes that can be started as children. */
export type AppName = 'worker' | 'scheduler' | 'admin' | 'cli';

/** Root of the repository (this file is apps/cli/{src,dist}/processes/app-entry.{ts,js}). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** True when running from TypeScript sources (tsx, jest), false from the build output. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

export interface AppCommand {
  command: string;
  args: string[];
}

/**
 * How to start an app's main: from sources (`node --conditions=dlsync-source --import tsx
 * apps/<app>/src/main.ts`) when this code runs from sources, else `node apps/<app>/dist/main.js`.
 */
export function appCommand(app: AppName, args: readonly string[] = []): AppCommand {
  const entry = FROM_SOURCE
    ? fileURLToPath(new URL(`../../../${app}/src/main.ts`, import.meta.url))
    : fileURLToPath(new URL(`../../../${app}/dist/main.js`, import.meta.url));
  const loader = FROM_SOURCE ? ['--conditions=dlsync-source', '--import', 'tsx'] : [];
  return { command: process.execPath, args: [...loader, entry, ...args] };
}
