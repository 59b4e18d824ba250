import { BadRequest, NotFound } from '../../errors.js';
import { instanceOf, requirePermission } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import type { JobRecord, JobState, TriggerRecord } from '../../ports/store/jobs.js';
import type { EnqueueInput, JobService, TriggerInput } from '../../jobs/service.js';
import { intParam } from '../data/params.js';

/** Pseudo-doctypes that grant access to the `/jobs` API to a token. */
export const JOBS_DOCTYPE = 'io.nuage.jobs';
export const TRIGGERS_DOCTYPE = 'io.nuage.triggers';

const STATES: readonly JobState[] = ['queued', 'running', 'done', 'errored'];

/**
 * `/jobs`: read job records, queue jobs, manage triggers (owner, or a token granted the pseudo-doctypes
 * `io.nuage.jobs` / `io.nuage.triggers`), and `POST /jobs/webhooks/<secret>`, which needs no
 * credentials: the secret in its URL is one.
 */
export function registerJobsRoutes(app: App, jobs: JobService): void {
  app.get('/jobs', async (request) => {
    requirePermission(request, 'GET', JOBS_DOCTYPE);
    const q = request.query;
    if (q.state !== undefined && !STATES.includes(q.state as JobState))
      throw new BadRequest(`state must be one of ${STATES.join(', ')}`);
    const limit = intParam(q, 'limit', 1000) ?? 50;
    const query: Parameters<JobService['list']>[1] = { limit: limit + 1 };
    if (q.worker !== undefined) query.worker = q.worker;
    if (q.state !== undefined) query.state = q.state as JobState;
    if (q.cursor !== undefined) query.before = parseCursor(q.cursor);
    const found = await jobs.list(instanceOf(request), query);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    const next = found.length > limit && last ? `${last.createdAt}.${last.id}` : null;
    return { jobs: page.map(presentJob), next };
  });

  app.get('/jobs/:id', async (request) => {
    requirePermission(request, 'GET', JOBS_DOCTYPE);
    const job = await jobs.get(instanceOf(request), request.params.id ?? '');
    if (!job) throw new NotFound('no such job');
    return presentJob(job);
  });

  app.post('/jobs/queue/:worker', async (request, reply) => {
    requirePermission(request, 'POST', JOBS_DOCTYPE);
    const body = objectBody(request);
    const input: EnqueueInput = { worker: request.params.worker ?? '', payload: body.payload ?? null };
    copyNumbers(body, input, ['runAt', 'maxAttempts', 'timeoutMs']);
    const job = await jobs.enqueue(instanceOf(request), input);
    return reply.code(202).send(presentJob(job));
  });

  app.get('/jobs/triggers', async (request) => {
    requirePermission(request, 'GET', TRIGGERS_DOCTYPE);
    return { triggers: (await jobs.listTriggers(instanceOf(request))).map((t) => presentTrigger(t)) };
  });

  app.get('/jobs/triggers/:id', async (request) => {
    requirePermission(request, 'GET', TRIGGERS_DOCTYPE);
    const trigger = await jobs.getTrigger(instanceOf(request), request.params.id ?? '');
    if (!trigger) throw new NotFound('no such trigger');
    return presentTrigger(trigger);
  });

  app.post('/jobs/triggers', async (request, reply) => {
    requirePermission(request, 'POST', TRIGGERS_DOCTYPE);
    const body = objectBody(request);
    if (typeof body.type !== 'string') throw new BadRequest('type is required, e.g. "@every"');
    if (typeof body.worker !== 'string') throw new BadRequest('worker is required');
    if (body.arguments !== undefined && typeof body.arguments !== 'string')
      throw new BadRequest('arguments must be a string');
    const input: TriggerInput = { type: body.type, worker: body.worker, payload: body.payload ?? null };
    if (typeof body.arguments === 'string') input.arguments = body.arguments;
    copyNumbers(body, input, ['maxAttempts', 'timeoutMs']);
    const trigger = await jobs.createTrigger(instanceOf(request), input);
    return reply.code(201).send(presentTrigger(trigger));
  });

  app.delete('/jobs/triggers/:id', async (request, reply) => {
    requirePermission(request, 'DELETE', TRIGGERS_DOCTYPE);
    if (!(await jobs.deleteTrigger(instanceOf(request), request.params.id ?? '')))
      throw new NotFound('no such trigger');
    return reply.code(204).send();
  });

  app.post('/jobs/webhooks/:secret', async (request, reply) => {
    const job = await jobs.webhook(instanceOf(request), request.params.secret ?? '', request.body);
    return reply.code(202).send({ id: job.id, state: job.state });
  });
}

function objectBody(request: Request): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('send a JSON object');
  return body as Record<string, unknown>;
}

function copyNumbers<K extends string>(
  from: Record<string, unknown>,
  to: Partial<Record<K, number>>,
  keys: K[],
) {
  for (const key of keys) {
    const value = from[key];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new BadRequest(`${key} must be a number`);
    to[key] = value;
  }
}

function parseCursor(text: string): { createdAt: number; id: string } {
  const match = /^(\d{1,16})\.([0-9a-f]{1,64})$/.exec(text);
  if (!match) throw new BadRequest('cursor must be the "next" value of a previous page');
  return { createdAt: Number(match[1]), id: match[2]! };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function presentJob(job: JobRecord) {
  return {
    id: job.id,
    worker: job.worker,
    state: job.state,
    payload: job.payload,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    timeoutMs: job.timeoutMs,
    error: job.error,
    triggerId: job.triggerId,
    runAt: iso(job.runAt),
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}

/** A trigger as the API shows it; a webhook's URL is shown to whoever may read triggers. */
function presentTrigger(trigger: TriggerRecord) {
  return {
    id: trigger.id,
    type: trigger.type,
    arguments: trigger.arguments,
    worker: trigger.worker,
    payload: trigger.payload,
    maxAttempts: trigger.maxAttempts,
    timeoutMs: trigger.timeoutMs,
    nextRun: iso(trigger.nextRun),
    createdAt: iso(trigger.createdAt),
    ...(trigger.secret === null ? {} : { webhook: `/jobs/webhooks/${trigger.secret}` }),
  };
}
