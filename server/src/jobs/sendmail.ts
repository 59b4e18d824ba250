import type { RecordTable } from '../ports/store/store.js';
import { defineWorker, InvalidPayload, PermanentFailure, type Worker } from './workers.js';

/** An instance's outgoing mail server, stored as the record `settings`/`smtp`. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  user?: string;
  password?: string;
  /** The sender address of every mail this instance sends. */
  from: string;
}

export interface Mail {
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  replyTo?: string;
}

/** Sends one mail with the given settings; injected so tests and other transports can stand in. */
export type MailTransport = (
  settings: SmtpSettings,
  mail: Mail & { from: string },
  signal: AbortSignal,
) => Promise<void>;

export const SMTP_RECORD = { kind: 'settings', id: 'smtp' } as const;

/** Reads an instance's SMTP settings; null when none are stored. */
export async function smtpSettings(records: RecordTable, now: number): Promise<SmtpSettings | null> {
  return records.get<SmtpSettings>(SMTP_RECORD.kind, SMTP_RECORD.id, now);
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

export function parseMail(payload: unknown): Mail {
  const p = (payload ?? {}) as Record<string, unknown>;
  const to = typeof p.to === 'string' ? [p.to] : p.to;
  if (!Array.isArray(to) || to.length === 0 || !to.every((a) => typeof a === 'string' && ADDRESS.test(a)))
    throw new InvalidPayload('to must be an address or a non-empty list of addresses');
  if (typeof p.subject !== 'string' || p.subject.length === 0 || /[\r\n]/.test(p.subject))
    throw new InvalidPayload('subject must be a one-line string');
  if (p.text === undefined && p.html === undefined) throw new InvalidPayload('give text or html');
  const mail: Mail = { to: to as string[], subject: p.subject };
  for (const key of ['text', 'html', 'replyTo'] as const) {
    const value = p[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new InvalidPayload(`${key} must be a string`);
    mail[key] = value;
  }
  if (mail.replyTo !== undefined && !ADDRESS.test(mail.replyTo))
    throw new InvalidPayload('replyTo is not an address');
  return mail;
}

/** SMTP through nodemailer, imported on first use: a stack that never sends mail never loads it. */
export const nodemailerTransport: MailTransport = async (settings, mail, signal) => {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure ?? false,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 30_000,
  });
  const close = () => transport.close();
  signal.addEventListener('abort', close, { once: true });
  try {
    await transport.sendMail(mail);
  } finally {
    signal.removeEventListener('abort', close);
    transport.close();
  }
};

/**
 * `sendmail`: sends a mail through the instance's SMTP server. A retry after a lost lease may send it
 * twice (at least once delivery); SMTP offers nothing to prevent that.
 */
export function sendmailWorker(transport: MailTransport = nodemailerTransport): Worker {
  return defineWorker<Mail>({
    name: 'sendmail',
    concurrency: 2,
    timeoutMs: 120_000,
    maxAttempts: 5,
    parse: parseMail,
    run: async (mail, { storage, now, signal }) => {
      const settings = await smtpSettings(storage.records, now());
      if (!settings) throw new PermanentFailure('no SMTP settings for this instance (settings/smtp)');
      await transport(settings, { ...mail, from: settings.from }, signal);
    },
  });
}
