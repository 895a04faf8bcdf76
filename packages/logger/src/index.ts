export { makeLogger, makeMemoryLogger, makeSilentLogger, MemoryTransport } from './logger.js';
export type { Logger, LogLevel, LoggerOptions } from './logger.js';
export { redact, redactString, isSecretKey, SECRET_KEYS, REDACTED } from './redact.js';
