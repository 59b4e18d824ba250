/**
 * Structured logs as one JSON object per line on stdout (pino's shape: numeric level, time, msg), so
 * they feed any log collector. Hand-written because a logging library costs more memory than it gives.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const LEVELS: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: 100,
};

export interface Logger {
  error(fields: Record<string, unknown> | string, msg?: string): void;
  warn(fields: Record<string, unknown> | string, msg?: string): void;
  info(fields: Record<string, unknown> | string, msg?: string): void;
  debug(fields: Record<string, unknown> | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const { name, message, stack } = value;
    return { type: name, message, stack, ...(value.cause ? { cause: serialise(value.cause) } : {}) };
  }
  return value;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
  bindings: Record<string, unknown> = {},
): Logger {
  const threshold = LEVELS[level];
  const emit = (lvl: LogLevel) => (fields: Record<string, unknown> | string, msg?: string) => {
    if (LEVELS[lvl] < threshold) return;
    const entry: Record<string, unknown> = { level: LEVELS[lvl], time: Date.now(), ...bindings };
    if (typeof fields === 'string') entry.msg = fields;
    else {
      for (const [k, v] of Object.entries(fields)) entry[k] = serialise(v);
      if (msg !== undefined) entry.msg = msg;
    }
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    child: (more) => createLogger(level, write, { ...bindings, ...more }),
  };
}
