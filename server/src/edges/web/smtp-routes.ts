import { BadRequest } from '../../errors.js';
import { instanceOf, requireOwner } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import { SMTP_RECORD, smtpSettings, type SmtpSettings } from '../../jobs/sendmail.js';

/** Validates the body of `PUT /settings/smtp` into settings; every problem is one 400. */
export function parseSmtpSettings(input: unknown): SmtpSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadRequest('SMTP settings must be a JSON object');
  }
  const b = input as Record<string, unknown>;
  const text = (name: string, max = 255) => {
    const v = b[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      throw new BadRequest(`${name} must be a non-empty string`);
    return v;
  };
  const host = text('host');
  const from = text('from');
  if (!host || !/^[A-Za-z0-9.-]+$/.test(host)) throw new BadRequest('host must be a host name');
  if (!from || !/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(from))
    throw new BadRequest('from must be an email address');
  const port = b.port ?? 587;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BadRequest('port must be a whole number from 1 to 65535');
  }
  if (b.secure !== undefined && typeof b.secure !== 'boolean')
    throw new BadRequest('secure must be a boolean');
  const settings: SmtpSettings = { host, port, from };
  if (b.secure !== undefined) settings.secure = b.secure;
  const user = text('user');
  const password = text('password', 1024);
  if (user !== undefined) settings.user = user;
  if (password !== undefined) settings.password = password;
  return settings;
}

/**
 * The owner's outgoing mail server, used by the `sendmail` worker (notifications by email). The
 * password is write-only: reads say whether one is set, never what it is.
 */
export function registerSmtpRoutes(app: App): void {
  app.get('/settings/smtp', async (request) => {
    requireOwner(request);
    const { accounts } = instanceOf(request);
    const settings = await smtpSettings(accounts.records, accounts.now());
    if (!settings) return { configured: false };
    const { password, ...shown } = settings;
    return { configured: true, ...shown, hasPassword: password !== undefined };
  });

  app.put('/settings/smtp', async (request, reply) => {
    requireOwner(request);
    const { accounts } = instanceOf(request);
    const next = parseSmtpSettings(request.body);
    const current = await smtpSettings(accounts.records, accounts.now());
    // Keep the stored password when the owner edits other fields without retyping it.
    if (next.password === undefined && current?.password !== undefined && current.user === next.user) {
      next.password = current.password;
    }
    await accounts.records.put(SMTP_RECORD.kind, SMTP_RECORD.id, next);
    return reply.code(204).send();
  });

  app.delete('/settings/smtp', async (request, reply) => {
    requireOwner(request);
    await instanceOf(request).accounts.records.delete(SMTP_RECORD.kind, SMTP_RECORD.id);
    return reply.code(204).send();
  });
}
