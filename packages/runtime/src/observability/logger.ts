import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** pino level (LOG_LEVEL); default `info`. */
  level?: string;
  /** Where JSON lines go; default stdout (pretty-printed by pino-pretty when stdout is a TTY). */
  destination?: DestinationStream;
}

/**
 * Paths that must never reach a log line, whatever a caller passes: credentials in headers and
 * bodies. Message content is never logged by memgate at any level either.
 */
const REDACT = [
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
];

/** The one logger of a process: JSON lines, the same fields on every protocol. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: 'memgate' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(settings, options.destination);
  if (process.stdout.isTTY) {
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(settings);
}
