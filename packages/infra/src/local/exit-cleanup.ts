/**
 * Synchronous cleanups run when the process exits or is told to stop, so servers started by a
 * process that never reaches stop() (Ctrl-C, a thrown error, jest tearing down a worker) don't
 * outlive it. Only synchronous work is possible in an 'exit' handler, hence `() => void`.
 */
const cleanups = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  uninstall();
  // If nobody else handles the signal, let it do what it would have done without us: terminate.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', runAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers `cleanup`; call the returned function once it has been done the normal way. */
export function onProcessExit(cleanup: () => void): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) uninstall();
  };
}
