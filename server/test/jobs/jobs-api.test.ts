import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { parseRules } from '../../src/permissions/permissions.js';
import { bearer, type Client } from '../support/http-client.js';
import { csrfOf, startStack, type TestStack } from '../support/stack.js';
import { STORE_ADAPTERS } from '../support/stores.js';

type Job = {
  id: string;
  worker: string;
  state: string;
  payload: unknown;
  attempts: number;
  error: string | null;
};
type Trigger = { id: string; type: string; nextRun: string | null; webhook?: string };

describe.each(STORE_ADAPTERS)('/jobs over HTTP on $name', (adapter) => {
  let t: TestStack;
  let alice: Client;
  let anonymous: Client;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;

  beforeAll(async () => {
    t = await startStack({ adapter });
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'pw alice 1',
    });
    alice = t.client.forHost('alice.localhost');
    anonymous = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    await alice.post('/auth/login', { form: { password: 'pw alice 1' } });
    owner = { 'x-csrf-token': await csrfOf(alice) };
  });
  afterAll(async () => {
    await t.dispose();
  });

  const waitFor = async (id: string, state: string): Promise<Job> => {
    for (let i = 0; i < 100; i++) {
      const job = (await alice.get(`/jobs/${id}`)).json<Job>();
      if (job.state === state) return job;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${id} never reached ${state}`);
  };

  it('queues a job for the owner, runs it and shows its record', async () => {
    const res = await alice.post('/jobs/queue/log', { json: { payload: { hi: 1 } }, headers: owner });
    expect(res.status, res.text).toBe(202);
    const job = res.json<Job>();
    expect(job).toMatchObject({ worker: 'log', state: 'queued', payload: { hi: 1 } });
    expect(await waitFor(job.id, 'done')).toMatchObject({ attempts: 1, error: null });
  });

  it('lists recent jobs by worker and state, paged', async () => {
    for (let i = 0; i < 3; i++) await alice.post('/jobs/queue/log', { json: {}, headers: owner });
    const page = (await alice.get('/jobs?worker=log&limit=2')).json<{ jobs: Job[]; next: string | null }>();
    expect(page.jobs.length).toBe(2);
    expect(page.next).not.toBeNull();
    const rest = (await alice.get(`/jobs?worker=log&limit=10&cursor=${page.next}`)).json<{ jobs: Job[] }>();
    expect(rest.jobs.length).toBeGreaterThanOrEqual(2);
    expect((await alice.get('/jobs?worker=sleep')).json<{ jobs: Job[] }>().jobs).toEqual([]);
  });

  it('answers 400 problem+json for bad input', async () => {
    const bad = [
      await alice.post('/jobs/queue/ghost', { json: {}, headers: owner }),
      await alice.post('/jobs/queue/sleep', { json: { payload: { ms: 'x' } }, headers: owner }),
      await alice.post('/jobs/queue/log', { json: { timeoutMs: -1 }, headers: owner }),
      await alice.post('/jobs/queue/log', { json: [1], headers: owner }),
      await alice.get('/jobs?state=sleeping'),
      await alice.get('/jobs?cursor=zzz'),
      await alice.post('/jobs/triggers', {
        json: { type: '@every', arguments: 'often', worker: 'log' },
        headers: owner,
      }),
      await alice.post('/jobs/triggers', { json: { type: '@never', worker: 'log' }, headers: owner }),
      await alice.post('/jobs/triggers', { json: { type: '@in', arguments: '1m' }, headers: owner }),
    ];
    for (const res of bad) {
      expect(res.status, res.text).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await alice.get('/jobs/nope')).status).toBe(404);
  });

  it('creates, lists and deletes triggers', async () => {
    const res = await alice.post('/jobs/triggers', {
      json: { type: '@every', arguments: '1h', worker: 'log', payload: { x: 1 } },
      headers: owner,
    });
    expect(res.status, res.text).toBe(201);
    const trigger = res.json<Trigger>();
    expect(trigger.nextRun).not.toBeNull();
    expect(
      (await alice.get('/jobs/triggers')).json<{ triggers: Trigger[] }>().triggers.map((x) => x.id),
    ).toContain(trigger.id);
    expect((await alice.get(`/jobs/triggers/${trigger.id}`)).status).toBe(200);
    expect((await alice.delete(`/jobs/triggers/${trigger.id}`, { headers: owner })).status).toBe(204);
    expect((await alice.delete(`/jobs/triggers/${trigger.id}`, { headers: owner })).status).toBe(404);
  });

  it('queues a job through a webhook URL without credentials; a wrong secret is 404', async () => {
    const trigger = (
      await alice.post('/jobs/triggers', { json: { type: '@webhook', worker: 'log' }, headers: owner })
    ).json<Trigger>();
    expect(trigger.webhook).toMatch(/^\/jobs\/webhooks\/[\w-]{43}$/);
    const res = await anonymous.post(trigger.webhook!, { json: { ping: 1 } });
    expect(res.status, res.text).toBe(202);
    const job = await waitFor(res.json<{ id: string }>().id, 'done');
    expect(job.payload).toEqual({ webhook: { ping: 1 } });
    expect((await anonymous.post('/jobs/webhooks/' + 'A'.repeat(43), { json: {} })).status).toBe(404);
  });

  it('refuses anonymous callers and tokens without the jobs pseudo-doctypes', async () => {
    expect((await anonymous.get('/jobs')).status).toBe(401);
    expect((await anonymous.post('/jobs/queue/log', { json: {} })).status).toBe(401);
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: ['GET', 'POST'] }]);
    expect((await alice.get('/jobs', { headers: notes })).status).toBe(403);
    expect((await alice.get('/jobs/triggers', { headers: notes })).status).toBe(403);
    const reader = await tokenFor([{ type: 'io.nuage.jobs', verbs: ['GET'] }]);
    expect((await alice.get('/jobs', { headers: reader })).status).toBe(200);
    expect((await alice.post('/jobs/queue/log', { json: {}, headers: reader })).status).toBe(403);
    const queuer = await tokenFor([{ type: 'io.nuage.jobs', verbs: ['POST'] }]);
    expect((await alice.post('/jobs/queue/log', { json: {}, headers: queuer })).status).toBe(202);
    const triggers = await tokenFor([{ type: 'io.nuage.triggers', verbs: ['GET', 'POST'] }]);
    const made = await alice.post('/jobs/triggers', {
      json: { type: '@in', arguments: '1h', worker: 'log' },
      headers: triggers,
    });
    expect(made.status).toBe(201);
    expect(
      (await alice.delete(`/jobs/triggers/${made.json<Trigger>().id}`, { headers: triggers })).status,
    ).toBe(403);
  });

  it('notify stores a notification document once and queues its mail', async () => {
    const res = await alice.post('/jobs/queue/notify', {
      json: {
        payload: { title: 'Dentist at 3pm', category: 'calendar.reminder', mailTo: 'alice@example.org' },
      },
      headers: owner,
    });
    expect(res.status, res.text).toBe(202);
    const job = await waitFor(res.json<Job>().id, 'done');
    const doc = await alice.get(`/data/io.nuage.notifications/job-${job.id}`);
    expect(doc.status, doc.text).toBe(200);
    expect(doc.json()).toMatchObject({ title: 'Dentist at 3pm', read: false, category: 'calendar.reminder' });
    const { jobs } = (await alice.get('/jobs?worker=sendmail')).json<{ jobs: Job[] }>();
    expect(jobs.map((j) => j.payload)).toContainEqual({
      to: 'alice@example.org',
      subject: 'Dentist at 3pm',
      text: 'Dentist at 3pm',
    });
    expect((await alice.post('/jobs/queue/notify', { json: { payload: {} }, headers: owner })).status).toBe(
      400,
    );
  });

  it('fires an @event trigger when a document is written through /data', async () => {
    await alice.post('/jobs/triggers', {
      json: { type: '@event', arguments: 'io.nuage.todos:CREATED', worker: 'log' },
      headers: owner,
    });
    const put = await alice.put('/data/io.nuage.todos/buy-milk', {
      json: { summary: 'milk' },
      headers: owner,
    });
    expect(put.status, put.text).toBe(201);
    for (let i = 0; i < 100; i++) {
      const { jobs } = (await alice.get('/jobs?worker=log&state=done')).json<{ jobs: Job[] }>();
      const fired = jobs.find(
        (j) => (j.payload as { event?: { id: string } } | null)?.event?.id === 'buy-milk',
      );
      if (fired) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the event trigger did not fire');
  });
});
