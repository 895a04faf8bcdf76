import { readFile } from 'node:fs/promises';
import { freePort, isListening } from './free-port.js';

/** A server process the local provider started. */
export interface LocalServer {
  port: number;
  /** Stop and start again on the same port with the same data. */
  restart(): Promise<void>;
  /** Graceful stop; safe to call when already stopped. */
  stop(): Promise<void>;
  /** Synchronous hard stop for exit handlers. */
  kill(): void;
}

/**
 * Starts a server on a free port, picking another port when the chosen one was taken between
 * probing and binding (another process on the machine can always win that race).
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= attempts || !(await isListening(port))) throw err;
    }
  }
}

/** Last lines of a server log, for error messages that say why a start failed. */
export async function logTail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
