/** Structured logging: one JSON line per event on stdout, one logger for the whole server. */
import { createJsonLogger, type Logger, type LogLevel } from '../contract/log';

export type { Logger, LogLevel };

export function createLogger(opts: {
  level?: LogLevel;
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
}): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  return createJsonLogger({ level: opts.level, fields: opts.fields, write: (_level, line) => write(line) });
}
