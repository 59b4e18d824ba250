import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createToken, findToken, revokeToken } from '../auth/tokens.js';
import type { JobScope, JobService } from '../jobs/service.js';
import { defineWorker, InvalidPayload, PermanentFailure, type Worker } from '../jobs/workers.js';
import { layoutOf } from './app-files.js';
import type { AppsService, ServiceTriggers } from './apps-service.js';
import { rulesOf, type Manifest } from './manifest.js';

export const APP_SERVICE_WORKER = 'app-service';
/** The output of a service run kept as the job's log (head of it: a runaway loop cannot fill the disk). */
export const JOB_LOG_KIND = 'job-log';
const MAX_LOG_BYTES = 64 * 1024;
const LOG_TTL_MS = 30 * 24 * 3_600_000;

interface ServicePayload {
  app: string;
  service: string;
  /** Set for `@event` triggers: the change that fired it. */
  event?: unknown;
}

/**
 * Runs an app's service as a job: a fresh Node process under Node's permission model (it may read its
 * own app folder and nothing else, start no process, load no addon), a heap limit and a timeout from
 * the manifest, and a token holding exactly the app's permissions in its environment, revoked when it
 * ends. Nothing stays resident between runs, so installed apps cost no idle memory.
 */
export function appServiceWorker(deps: {
  apps: AppsService;
  /** Where the stack listens, for the service to call back (`http://127.0.0.1:<port>`). */
  stackUrl: () => string | null;
}): Worker<unknown> {
  return defineWorker<ServicePayload>({
    name: APP_SERVICE_WORKER,
    concurrency: 2,
    timeoutMs: 15 * 60_000 + 5_000,
    maxAttempts: 3,
    parse(payload) {
      const p = payload as Partial<ServicePayload> | null;
      if (typeof p?.app !== 'string' || typeof p.service !== 'string')
        throw new InvalidPayload('app-service needs {app, service}');
      return { app: p.app, service: p.service, ...(p.event === undefined ? {} : { event: p.event }) };
    },
    async run(payload, context) {
      const scope = { instance: context.instance, storage: context.storage };
      const app = await deps.apps.get(scope, payload.app);
      const service = app?.manifest.services[payload.service];
      if (!app || !service)
        throw new PermanentFailure(`app ${payload.app} has no service ${payload.service} (any more)`);
      const url = deps.stackUrl();
      if (!url) throw new Error('the stack is not listening yet');
      const accounts = { records: context.storage.records, now: context.now };
      const rules = rulesOf(app.manifest);
      const token =
        rules.length === 0
          ? null
          : await createToken(accounts, {
              rules,
              ttlMs: (service.timeout + 60) * 1000,
              label: `service ${app.slug}/${payload.service}`,
              app: app.slug,
            });
      const files = layoutOf(app.dir).files;
      const output: Buffer[] = [];
      let kept = 0;
      const keep = (chunk: Buffer) => {
        if (kept >= MAX_LOG_BYTES) return;
        output.push(chunk.subarray(0, MAX_LOG_BYTES - kept));
        kept += chunk.length;
      };
      try {
        const code = await new Promise<number | string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '--experimental-permission',
              `--allow-fs-read=${files}`,
              `--max-old-space-size=${service.memory}`,
              '--disable-warning=ExperimentalWarning',
              join(files, service.file),
            ],
            {
              cwd: files,
              stdio: ['ignore', 'pipe', 'pipe'],
              // Only what the service needs: not the stack's environment (database URLs, secrets).
              env: {
                NUAGE_URL: url,
                NUAGE_INSTANCE: context.instance.domain,
                NUAGE_TOKEN: token?.token ?? '',
                NUAGE_APP: app.slug,
                NUAGE_SERVICE: payload.service,
                NUAGE_JOB: context.job.id,
                NUAGE_EVENT: payload.event === undefined ? '' : JSON.stringify(payload.event),
                TZ: process.env.TZ ?? 'UTC',
              },
            },
          );
          child.stdout.on('data', keep);
          child.stderr.on('data', keep);
          const kill = () => child.kill('SIGKILL');
          const timer = setTimeout(kill, service.timeout * 1000);
          context.signal.addEventListener('abort', kill, { once: true });
          child.on('error', reject);
          child.on('close', (exit, signal) => {
            clearTimeout(timer);
            context.signal.removeEventListener('abort', kill);
            resolve(exit ?? signal ?? 'killed');
          });
        });
        const log = Buffer.concat(output).toString('utf8');
        await context.storage.records.put(JOB_LOG_KIND, context.job.id, { log }, context.now() + LOG_TTL_MS);
        if (code !== 0) {
          const why =
            code === 'SIGKILL'
              ? `was killed (timeout ${service.timeout} s, or memory)`
              : `exited with ${code}`;
          throw new Error(`service ${app.slug}/${payload.service} ${why}: ${lastLine(log)}`);
        }
      } finally {
        if (token && (await findToken(accounts, token.token))) await revokeToken(accounts, token.record.id);
      }
    },
  });
}

/** The line that says what went wrong: the last one, except Node's version trailer after a crash. */
function lastLine(log: string): string {
  const lines = log.split('\n').filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l));
  const error = lines.findLast((l) => /^\w*Error\b/.test(l));
  return (error ?? lines.at(-1) ?? '').slice(0, 300);
}

/** Keeps the triggers of app services in step with installed manifests. */
export function serviceTriggers(jobs: () => JobService): ServiceTriggers {
  return {
    async sync(scope: JobScope, slug: string, manifest: Manifest | null) {
      const service = jobs();
      for (const trigger of await service.listTriggers(scope)) {
        const p = trigger.payload as Partial<ServicePayload> | null;
        if (trigger.worker === APP_SERVICE_WORKER && p?.app === slug)
          await service.deleteTrigger(scope, trigger.id);
      }
      for (const [name, def] of Object.entries(manifest?.services ?? {})) {
        const [type = '', ...args] = def.trigger.split(/\s+/);
        await service.createTrigger(scope, {
          type,
          arguments: args.join(' '),
          worker: APP_SERVICE_WORKER,
          payload: { app: slug, service: name },
          timeoutMs: (def.timeout + 5) * 1000,
        });
      }
    },
  };
}
