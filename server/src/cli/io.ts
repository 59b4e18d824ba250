import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** What a command writes; injected so tests read it without touching the real stdout. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Reads all of standard input (for --password-stdin). */
  stdin(): Promise<string>;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A password from a file or stdin, without its trailing newline (as `echo pw > file` writes it). */
export async function readPassword(
  io: CliIo,
  file: string | undefined,
  fromStdin: boolean | undefined,
): Promise<string> {
  if (file !== undefined && fromStdin)
    throw new ConfigError('use either --password-file or --password-stdin');
  let text: string;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`cannot read the password file ${file}`);
    }
  } else if (fromStdin) text = await io.stdin();
  else throw new ConfigError('give the password with --password-file FILE or --password-stdin');
  return text.replace(/\r?\n$/, '');
}
