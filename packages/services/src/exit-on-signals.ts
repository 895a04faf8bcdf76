import type { Logger } from '@dlsync/logger';

/**
 * On the first SIGTERM/SIGINT runs `close` and exits 0 (1 if closing failed); a second
 * signal while closing exits 1 at once, for an operator who does not want to wait.
 */
export function exitOnSignals(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn('second signal, exiting without waiting', { signal });
      process.exit(1);
    }
    closing = true;
    logger.info('shutting down', { signal });
    close().then(
      () => {
        logger.info('stopped');
        process.exitCode = 0;
        setImmediate(() => process.exit(0));
      },
      (err: Error) => {
        logger.error('shutdown failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
