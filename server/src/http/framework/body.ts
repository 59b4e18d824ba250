import type { IncomingMessage } from 'node:http';
import { InvalidBody, PayloadTooLarge, UnsupportedMediaType } from '../../errors.js';

/** Reads a whole request body, refusing more than `limit` bytes (checked against Content-Length first). */
export async function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(raw.headers['content-length'] ?? NaN);
  if (declared > limit) {
    raw.resume();
    throw new PayloadTooLarge(`the request body is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      raw.resume();
      throw new PayloadTooLarge(`the request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * JSON.parse that reports our error kind; `__proto__` keys are dropped to avoid prototype pollution.
 * A key can only read `__proto__` if the text holds that word or a `\u` escape (`"\u005f_proto__"`);
 * other texts skip the reviver, which calls back into JS for every value and made parsing a bulk
 * write's body several times slower.
 */
export function parseJson(text: string): unknown {
  try {
    if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    throw new InvalidBody('the request body is not valid JSON');
  }
}

export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out) && k !== '__proto__') out[k] = v;
  return out;
}

/**
 * Parses a body by its content type: JSON (`application/json` and `+json`), urlencoded forms, or
 * nothing for an empty body. Other types are refused unless the route reads the raw stream itself.
 */
export async function parseBody(raw: IncomingMessage, limit: number): Promise<unknown> {
  const type = (raw.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const length = raw.headers['content-length'];
  if (length === '0' || (length === undefined && raw.headers['transfer-encoding'] === undefined))
    return undefined;
  const buffer = await readBody(raw, limit);
  if (buffer.length === 0) return undefined;
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(buffer.toString('utf8'));
  if (type === 'application/x-www-form-urlencoded') return parseForm(buffer.toString('utf8'));
  if (type === '') return parseJson(buffer.toString('utf8'));
  throw new UnsupportedMediaType(`unsupported content type "${type}"`);
}
