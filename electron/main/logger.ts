/**
 * Main-process logging: one JSON line per event on stdout (stderr for warnings and errors),
 * the same shape as the server's logs so one tool reads both.
 */
import { createJsonLogger, type Logger, type LogLevel } from '../../contract/log';

export type { Logger, LogLevel };

export function createLogger(
  opts: { level?: LogLevel; write?: (level: LogLevel, line: string) => void; fields?: Record<string, unknown> } = {},
): Logger {
  const write =
    opts.write ??
    ((level: LogLevel, line: string) => (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(line + '\n'));
  return createJsonLogger({ level: opts.level, fields: opts.fields, write });
}

/** A logger that drops everything, for tests and tools. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
