import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { manifestOf, writeAppRepo } from '../support/apps.js';
import { startStack, tempDir, type TestStack } from '../support/stack.js';

async function nuage(
  dataDir: string,
  args: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => '' };
  const code = await runCli([...args, '--data', dataDir], io);
  return { code, out, err };
}

describe('nuage app', () => {
  let dir: string;
  beforeEach(async () => {
    dir = tempDir();
    const created = await runCli(
      ['instance', 'create', 'alice.localhost', '--owner', 'alice', '--password-stdin', '--data', dir],
      {
        out: () => undefined,
        err: () => undefined,
        stdin: async () => 'correct horse battery',
      },
    );
    expect(created).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the permissions and installs nothing without --yes, then installs with it', async () => {
    const source = writeAppRepo(join(dir, 'repo'), manifestOf('notes'));
    const asked = await nuage(dir, ['app', 'install', source, '--instance', 'alice.localhost']);
    expect(asked.code).toBe(2);
    expect(asked.out.join('\n')).toContain('io.nuage.notes: GET, POST — Read and add notes');
    expect(asked.err.join('\n')).toContain('--yes');
    expect((await nuage(dir, ['app', 'list', '--instance', 'alice.localhost'])).out.join('\n')).not.toContain(
      'notes',
    );

    const done = await nuage(dir, ['app', 'install', source, '--instance', 'alice.localhost', '--yes']);
    expect(done).toMatchObject({ code: 0, out: expect.arrayContaining(['installed notes 1.0.0']) });
    const listed = await nuage(dir, ['app', 'list', '--instance', 'alice.localhost']);
    expect(listed.out.some((l) => l.startsWith('notes\t1.0.0\tgit+file://'))).toBe(true);

    expect((await nuage(dir, ['app', 'uninstall', 'notes', '--instance', 'alice.localhost'])).code).toBe(0);
    expect((await nuage(dir, ['app', 'list', '--instance', 'alice.localhost'])).out.join('\n')).not.toContain(
      'notes',
    );
  });

  it('reports a bad source or an unknown app in one line', async () => {
    const bad = await nuage(dir, ['app', 'install', 'svn://nope', '--instance', 'alice.localhost', '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
    expect((await nuage(dir, ['app', 'uninstall', 'ghost', '--instance', 'alice.localhost'])).code).toBe(1);
  });
});

describe('app services', () => {
  let t: TestStack;
  let repos: string;
  beforeEach(async () => {
    t = await startStack();
    repos = tempDir();
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(repos, { recursive: true, force: true });
  });

  async function installService(script: string, service: Record<string, unknown> = {}) {
    const source = writeAppRepo(
      join(repos, 'echo'),
      manifestOf('echo', {
        services: {
          copy: {
            file: 'services/copy.mjs',
            trigger: '@event io.nuage.notes:CREATED',
            timeout: 20,
            ...service,
          },
        },
      }),
      { 'index.html': '<html><head></head></html>', 'services/copy.mjs': script },
    );
    const instance = await t.stack.instances.get('localhost');
    const scope = { instance, storage: await t.stack.instances.storage(instance) };
    const staged = await t.stack.apps.stage(scope, source);
    await t.stack.apps.install(scope, staged.id);
    return scope;
  }

  /** Waits until the runner has run every job queued so far. */
  async function settle(scope: Awaited<ReturnType<typeof installService>>) {
    for (let i = 0; i < 100; i++) {
      await t.stack.jobs.runner.tick();
      await t.stack.jobs.runner.idle();
      const jobs = await scope.storage.jobs.list({ limit: 100 });
      if (jobs.length > 0 && jobs.every((j) => j.state === 'done' || j.state === 'errored')) return jobs;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('jobs did not finish');
  }

  it('runs a service on its trigger, with a token for the app’s permissions, its output kept as the log', async () => {
    const scope = await installService(`
      const event = JSON.parse(process.env.NUAGE_EVENT);
      // Its own write fires the trigger again: copy only the original.
      if (event.id !== 'n1') process.exit(0);
      const res = await fetch(process.env.NUAGE_URL + '/data/io.nuage.notes/', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + process.env.NUAGE_TOKEN, 'content-type': 'application/json', 'x-nuage-instance': process.env.NUAGE_INSTANCE },
        body: JSON.stringify({ title: 'copy of ' + event.id, copy: true }),
      });
      console.log('created', res.status);
      const denied = await fetch(process.env.NUAGE_URL + '/data/io.nuage.contacts/', {
        headers: { authorization: 'Bearer ' + process.env.NUAGE_TOKEN, 'x-nuage-instance': process.env.NUAGE_INSTANCE },
      });
      console.log('contacts', denied.status);
      console.log('secrets', process.env.NUAGE_DATABASE_URL === undefined && process.env.HOME === undefined);
    `);
    await t.stack.documents.put(scope, 'io.nuage.notes', 'n1', { title: 'hello' });
    const jobs = await settle(scope);
    const job = jobs.find(
      (j) => j.worker === 'app-service' && (j.payload as { event: { id: string } }).event.id === 'n1',
    )!;
    const log = await scope.storage.records.get<{ log: string }>('job-log', job.id, Date.now());
    expect(job.error, log?.log).toBeNull();
    expect(job.state).toBe('done');
    expect(log?.log).toContain('created 201');
    expect(log?.log).toContain('contacts 403');
    expect(log?.log).toContain('secrets true');
    const all = await t.stack.documents.allDocs(scope, 'io.nuage.notes', { includeDocs: true });
    const titles = all.rows.map((r) => (r as { doc?: { title?: string } }).doc?.title);
    expect(titles.sort()).toEqual(['copy of n1', 'hello']);
    // Uninstalling takes its trigger away: later notes start nothing.
    const ours = (await t.stack.jobs.service.listTriggers(scope)).filter((tr) => tr.worker === 'app-service');
    expect(ours).toHaveLength(1);
    await t.stack.apps.uninstall(scope, 'echo');
    expect(
      (await t.stack.jobs.service.listTriggers(scope)).filter((tr) => tr.worker === 'app-service'),
    ).toEqual([]);
    // Its token died with the run.
    const tokens = await scope.storage.records.list<{ app?: string }>('token', Date.now());
    expect(tokens.filter((r) => r.value.app === 'echo')).toHaveLength(0);
  });

  it('cannot read outside its folder nor start processes, and is killed at its timeout', async () => {
    const scope = await installService(
      `
      import { readFileSync } from 'node:fs';
      import { execSync } from 'node:child_process';
      try { readFileSync('/etc/hostname'); console.log('read: yes'); } catch (e) { console.log('read:', e.code); }
      try { execSync('true'); console.log('spawn: yes'); } catch (e) { console.log('spawn:', e.code); }
      await new Promise((r) => setTimeout(r, 60_000));
    `,
      { timeout: 1 },
    );
    await t.stack.documents.put(scope, 'io.nuage.notes', 'n1', { title: 'hello' });
    const jobs = await settle(scope);
    const job = jobs.find((j) => j.worker === 'app-service')!;
    expect(job.error).toContain('was killed');
    const log = await scope.storage.records.get<{ log: string }>('job-log', job.id, Date.now());
    expect(log?.log).toContain('read: ERR_ACCESS_DENIED');
    expect(log?.log).toContain('spawn: ERR_ACCESS_DENIED');
  });
});
