import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors.js';

/** Flags every command that touches storage accepts, mirroring `nuage serve`. */
export const STORAGE_FLAGS = {
  data: { type: 'string' },
  database: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** node:util's parseArgs with its errors turned into one-line usage errors. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
): {
  values: ReturnType<
    typeof parseArgs<{ options: O; allowPositionals: true; strict: true; args: string[] }>
  >['values'];
  positionals: string[];
} {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new ConfigError(`missing ${what}`);
  return value;
}
