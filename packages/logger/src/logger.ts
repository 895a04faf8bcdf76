import winston from 'winston';
import Transport from 'winston-transport';
import { redact } from './redact.js';

export type Logger = winston.Logger;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggerOptions {
  /** Minimum level written. (Default: `info`) */
  level?: LogLevel;
  /** Human-readable lines instead of JSON. (Default: whether stdout is a TTY) */
  pretty?: boolean;
  /** Where lines go. (Default: one console transport on stdout) */
  transports?: winston.transport[];
  /** Fields on every line, e.g. `{ app: 'worker' }`. */
  fields?: Record<string, unknown>;
}

// Runs before any output format, so no transport can ever see an unredacted field.
const redactFormat = winston.format((info) => {
  const clean = redact({ ...info }) as Record<string, unknown>;
  for (const key of Object.keys(info)) {
    if (typeof key === 'string') (info as Record<string, unknown>)[key] = clean[key];
  }
  return info;
});

function prettyLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, timestamp, ...rest } = info;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level} ${String(message)}${fields ? ` ${fields}` : ''}`;
}

/** A winston logger writing JSON lines (or pretty lines on a TTY) with secrets redacted. */
export function makeLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  // winston formats an entry before its transports drop it by level: without this gate every
  // debug line (and at warn, every per-order info line) would be redacted and serialised for nothing.
  const enabled = winston.format((info) => (logger.isLevelEnabled(info.level) ? info : false));
  const format = winston.format.combine(
    enabled(),
    redactFormat(),
    winston.format.timestamp(),
    pretty ? winston.format.combine(winston.format.colorize(), winston.format.printf(prettyLine)) : winston.format.json(),
  );
  const logger = winston.createLogger({
    level: options.level ?? 'info',
    format,
    defaultMeta: options.fields,
    transports: options.transports ?? [new winston.transports.Console()],
  });
  return skippingDisabledLevels(logger);
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * winston builds an entry and pushes it through its stream before any format can drop it: at
 * `warn`, the per-order `info` lines of a 10,000-order run cost tens of megabytes of objects for
 * nothing. A disabled level now returns at once. `this` is whichever logger was called, so a
 * child logger keeps its own fields.
 */
function skippingDisabledLevels(logger: Logger): Logger {
  for (const level of LEVELS) {
    const write = logger[level] as (...args: unknown[]) => Logger;
    (logger as unknown as Record<LogLevel, unknown>)[level] = function (this: Logger, ...args: unknown[]): Logger {
      return this.isLevelEnabled(level) ? write.apply(this, args) : this;
    };
  }
  return logger;
}

/** A transport that keeps every line in memory; for tests that assert on log output. */
export class MemoryTransport extends Transport {
  readonly lines: Record<string, unknown>[] = [];
  override log(info: Record<string, unknown>, next: () => void): void {
    this.lines.push({ ...info });
    next();
  }
}

export function makeMemoryLogger(level: LogLevel = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const transport = new MemoryTransport();
  const logger = makeLogger({ level, pretty: false, transports: [transport] });
  return { logger, lines: transport.lines };
}

/** A logger that drops everything. */
export function makeSilentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
