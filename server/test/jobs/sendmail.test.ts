import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMail, SMTP_RECORD } from '../../src/jobs/sendmail.js';
import { STORE_ADAPTERS } from '../support/stores.js';
import { harness, settle, type Harness } from './harness.js';

/** A local SMTP sink: accepts every mail and keeps it. */
const received: { from: string; to: string[]; data: string }[] = [];
let sink: SMTPServer;
let port: number;

beforeAll(async () => {
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  port = (sink.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

describe('sendmail payloads', () => {
  it('refuses mails without recipients, subject or body, and header injection', () => {
    expect(() => parseMail({ subject: 's', text: 't' })).toThrow(/to must be/);
    expect(() => parseMail({ to: 'a@b.c', text: 't' })).toThrow(/subject/);
    expect(() => parseMail({ to: 'a@b.c', subject: 'x\r\nBcc: z@z.z', text: 't' })).toThrow(/one-line/);
    expect(() => parseMail({ to: 'a@b.c', subject: 's' })).toThrow(/text or html/);
    expect(parseMail({ to: 'a@b.c', subject: 's', text: 't' })).toEqual({
      to: ['a@b.c'],
      subject: 's',
      text: 't',
    });
  });
});

describe.each(STORE_ADAPTERS)('sendmail on $name', (adapter) => {
  let h: Harness;
  beforeEach(async () => {
    received.length = 0;
    h = await harness(adapter);
  });
  afterEach(async () => {
    await h.dispose();
  });

  it("sends a mail through the instance's SMTP server", async () => {
    await h.storage.records.put(SMTP_RECORD.kind, SMTP_RECORD.id, {
      host: '127.0.0.1',
      port,
      from: 'alice@nuage.test',
    });
    const job = await h.jobs.service.enqueue(h.scope, {
      worker: 'sendmail',
      payload: { to: ['bob@example.org'], subject: 'Hello Bob', text: 'See you at noon.' },
    });
    await settle(h.jobs, h.instance);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({ state: 'done', error: null });
    expect(received.length).toBe(1);
    expect(received[0]).toMatchObject({ from: 'alice@nuage.test', to: ['bob@example.org'] });
    expect(received[0]!.data).toMatch(/Subject: Hello Bob/);
    expect(received[0]!.data).toMatch(/See you at noon\./);
  });

  it('errors at once when the instance has no SMTP settings', async () => {
    const job = await h.jobs.service.enqueue(h.scope, {
      worker: 'sendmail',
      payload: { to: 'bob@example.org', subject: 'Hi', text: 'x' },
    });
    await settle(h.jobs, h.instance);
    expect(await h.storage.jobs.get(job.id)).toMatchObject({
      state: 'errored',
      attempts: 1,
      error: expect.stringMatching(/no SMTP settings/),
    });
    expect(received).toEqual([]);
  });

  it('refuses a bad mail when it is queued', async () => {
    await expect(
      h.jobs.service.enqueue(h.scope, {
        worker: 'sendmail',
        payload: { to: 'nobody', subject: 's', text: 't' },
      }),
    ).rejects.toThrow(/bad payload for sendmail/);
  });
});
