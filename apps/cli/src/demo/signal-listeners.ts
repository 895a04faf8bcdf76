const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `start` and takes back the signal listeners it installed, leaving its `exit` hooks.
 * The local infra provider kills its servers on the first SIGINT, while the fleet that uses
 * them is still stopping (hundreds of ECONNREFUSED lines). The demo stops things itself, in
 * order (fleet first, then infra); the provider's `exit` hook still kills the servers if the
 * process dies before that.
 */
export async function withoutSignalListenersOf<T>(start: () => Promise<T>, signals: readonly NodeJS.Signals[] = SIGNALS): Promise<T> {
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  try {
    return await start();
  } finally {
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.off(signal, listener as (...args: unknown[]) => void);
      }
    }
  }
}
