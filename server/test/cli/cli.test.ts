import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { loadConfig } from '../../src/config.js';
import { createStack, type Stack } from '../../src/main.js';
import { basic, bearer, Client } from '../support/http-client.js';
import { tempDir } from '../support/stores.js';

/** Runs `nuage …` in-process against a data directory, capturing what it prints. */
async function nuage(
  dataDir: string,
  args: string[],
  stdin = '',
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => stdin };
  const code = await runCli([...args, '--data', dataDir], io);
  return { code, out, err };
}

describe('the nuage command', () => {
  let dir: string;
  let pwFile: string;
  beforeEach(() => {
    dir = tempDir();
    pwFile = join(dir, 'pw');
    writeFileSync(pwFile, 'alice password\n');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists and destroys instances without a running server', async () => {
    const created = await nuage(dir, [
      'instance',
      'create',
      'alice.localhost',
      '--owner',
      'alice',
      '--password-file',
      pwFile,
    ]);
    expect(created).toMatchObject({ code: 0, out: ['created alice.localhost (owner alice)'] });
    await nuage(
      dir,
      ['instance', 'create', 'bob.localhost', '--owner', 'bob', '--password-stdin'],
      'bob password\n',
    );
    const list = await nuage(dir, ['instance', 'list']);
    expect(list.out.map((l) => l.split('\t')[0])).toEqual(['alice.localhost', 'bob.localhost']);
    expect((await nuage(dir, ['instance', 'destroy', 'bob.localhost'])).code).toBe(2);
    expect((await nuage(dir, ['instance', 'destroy', 'bob.localhost', '--yes'])).code).toBe(0);
    expect((await nuage(dir, ['instance', 'list'])).out).toHaveLength(1);
  });

  it('prints a bad call or a failure as one line and exits non-zero', async () => {
    const cases: [string[], number, RegExp][] = [
      [['instance', 'create', 'alice.localhost', '--owner', 'alice'], 2, /--password-file/],
      [
        ['instance', 'create', '../evil', '--owner', 'a', '--password-file', pwFile],
        2,
        /invalid instance domain/,
      ],
      [['instance', 'create', 'x.localhost', '--owner', 'a', '--password-file', '/nope'], 2, /cannot read/],
      [['instance', 'create', 'x.localhost', '--owner', 'a', '--bogus'], 2, /Unknown option '--bogus'/],
      [['instance', 'destroy', 'ghost.localhost', '--yes'], 1, /no instance ghost.localhost/],
      [['token', 'create', '--instance', 'ghost.localhost', '--scope', 'io.nuage.todos'], 1, /no instance/],
      [['frobnicate'], 2, /unknown command "frobnicate"/],
    ];
    for (const [args, code, message] of cases) {
      const result = await nuage(dir, args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.err, args.join(' ')).toHaveLength(1);
      expect(result.err[0]!.split('\n')[0]).toMatch(message);
    }
  });

  it('refuses a second instance with the same domain', async () => {
    await nuage(dir, [
      'instance',
      'create',
      'alice.localhost',
      '--owner',
      'alice',
      '--password-file',
      pwFile,
    ]);
    const again = await nuage(dir, [
      'instance',
      'create',
      'alice.localhost',
      '--owner',
      'alice',
      '--password-file',
      pwFile,
    ]);
    expect(again.code).toBe(1);
    expect(again.err[0]).toContain('already exists');
  });

  it('leaves nothing behind when the owner password is too short', async () => {
    writeFileSync(pwFile, 'short');
    const result = await nuage(dir, [
      'instance',
      'create',
      'alice.localhost',
      '--owner',
      'alice',
      '--password-file',
      pwFile,
    ]);
    expect(result.code).toBe(2);
    expect((await nuage(dir, ['instance', 'list'])).out).toEqual([]);
  });

  it('validates scopes and durations of tokens', async () => {
    await nuage(dir, [
      'instance',
      'create',
      'alice.localhost',
      '--owner',
      'alice',
      '--password-file',
      pwFile,
    ]);
    const badVerb = await nuage(dir, [
      'token',
      'create',
      '--instance',
      'alice.localhost',
      '--scope',
      'io.nuage.todos:FETCH',
    ]);
    expect(badVerb.code).toBe(2);
    const badTtl = await nuage(dir, [
      'token',
      'create',
      '--instance',
      'alice.localhost',
      '--scope',
      'io.nuage.todos',
      '--ttl',
      'soon',
    ]);
    expect(badTtl.code).toBe(2);
    const ok = await nuage(dir, [
      'token',
      'create',
      '--instance',
      'alice.localhost',
      '--scope',
      'io.nuage.todos:GET,PUT',
      '--ttl',
      '1h',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatch(/^nuage_[\w-]{12}_[\w-]{43}$/);
  });

  describe('against a stack serving the same data directory', () => {
    let stack: Stack;
    let client: Client;
    beforeEach(async () => {
      await nuage(dir, [
        'instance',
        'create',
        'alice.localhost',
        '--owner',
        'alice',
        '--password-file',
        pwFile,
      ]);
      stack = await createStack({
        ...loadConfig({ port: '0', host: '127.0.0.1', data: dir }, {}),
        logLevel: 'silent',
      });
      const port = Number(new URL(await stack.listen()).port);
      client = new Client(port, 'alice.localhost');
    });
    afterEach(async () => {
      await stack.close();
    });

    it('lets alice log in with the password given to instance create', async () => {
      expect((await client.post('/auth/login', { form: { password: 'alice password' } })).status).toBe(303);
    });

    it('prints device passwords that sync clients can use, until revoked', async () => {
      const created = await nuage(dir, [
        'device-password',
        'create',
        '--instance',
        'alice.localhost',
        '--name',
        'phone',
      ]);
      expect(created.code).toBe(0);
      const password = created.out[0]!;
      expect(password).toMatch(/^[\w-]{24}$/);
      const listed = await nuage(dir, ['device-password', 'list', '--instance', 'alice.localhost']);
      expect(listed.out[0]).toContain('\tphone\t');
      expect((await client.get('/data/_doctypes', { headers: basic('alice', password) })).status).toBe(200);
      expect(
        (await nuage(dir, ['device-password', 'revoke', '--instance', 'alice.localhost', 'phone'])).code,
      ).toBe(0);
      // A fresh stack has no credential cache: the revoked password is refused.
      await stack.close();
      stack = await createStack({
        ...loadConfig({ port: '0', host: '127.0.0.1', data: dir }, {}),
        logLevel: 'silent',
      });
      const fresh = new Client(Number(new URL(await stack.listen()).port), 'alice.localhost');
      expect((await fresh.get('/data/_doctypes', { headers: basic('alice', password) })).status).toBe(401);
    });

    it('prints a token that authenticates on its instance only', async () => {
      const { out } = await nuage(dir, [
        'token',
        'create',
        '--instance',
        'alice.localhost',
        '--scope',
        'io.nuage.todos',
      ]);
      const session = await client.get('/auth/session', { headers: bearer(out[0]!) });
      expect(session.json()).toMatchObject({ instance: 'alice.localhost', authenticated: true });
      await stack.instances.create('localhost');
      const elsewhere = await client.forHost('localhost').get('/auth/session', { headers: bearer(out[0]!) });
      expect(elsewhere.status).toBe(401);
    });
  });
});
