import type { DocView } from '../ports/store/documents.js';
import type { EventKind } from './events.js';

/** A message a client sends (see docs/realtime.md). */
export type ClientMessage =
  | { method: 'AUTH'; payload: string }
  | { method: 'SUBSCRIBE' | 'UNSUBSCRIBE'; payload: { type: string; id?: string } };

/** A message the server sends: a document event, or an error about the client's last message. */
export type ServerMessage =
  | { event: EventKind; payload: { type: string; id: string; doc: DocView } }
  | { event: 'error'; payload: ErrorPayload };

export interface ErrorPayload {
  /** The HTTP status this refusal would have had, as a string (JSON:API style, like Cozy). */
  status: string;
  code: string;
  title: string;
  /** The client message that caused it, when it could be read. */
  source?: unknown;
}

/** Thrown while handling a client message; becomes an `error` event, the socket stays open. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses one text frame into a ClientMessage, or throws a 400 ProtocolError saying what is wrong. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError(400, 'bad_request', 'a message must be a JSON object');
  }
  if (typeof value !== 'object' || value === null) {
    throw new ProtocolError(400, 'bad_request', 'a message must be a JSON object');
  }
  const { method, payload } = value as { method?: unknown; payload?: unknown };
  if (method === 'AUTH') {
    if (typeof payload !== 'string' || payload === '') {
      throw new ProtocolError(400, 'bad_request', 'AUTH expects the token as its payload');
    }
    return { method, payload };
  }
  if (method === 'SUBSCRIBE' || method === 'UNSUBSCRIBE') {
    const p = payload as { type?: unknown; id?: unknown } | null | undefined;
    if (typeof p?.type !== 'string') {
      throw new ProtocolError(400, 'bad_request', `${method} expects {"type": "<doctype>"} as its payload`);
    }
    if (p.id !== undefined && (typeof p.id !== 'string' || p.id === '')) {
      throw new ProtocolError(400, 'bad_request', 'a document id must be a non-empty string');
    }
    return { method, payload: p.id === undefined ? { type: p.type } : { type: p.type, id: p.id } };
  }
  throw new ProtocolError(405, 'method_not_allowed', `unknown method ${JSON.stringify(method)}`);
}
