/**
 * The log line format every Bullpen process writes (server and desktop main): one JSON object
 * per event with `t`, `level`, `msg` and fields, so one tool reads all of them. Pure: the
 * caller supplies where lines go.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

type EventLevel = Exclude<LogLevel, 'silent'>;
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createJsonLogger(opts: {
  level?: LogLevel;
  write: (level: EventLevel, line: string) => void;
  fields?: Record<string, unknown>;
}): Logger {
  const min = rank[opts.level ?? 'info'];
  const base = opts.fields ?? {};
  const emit = (level: EventLevel, msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < min) return;
    const entry: Record<string, unknown> = { t: new Date().toISOString(), level, msg, ...base, ...fields };
    for (const [k, v] of Object.entries(entry)) {
      if (v instanceof Error) entry[k] = { name: v.name, message: v.message, stack: v.stack };
    }
    opts.write(level, JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createJsonLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}
