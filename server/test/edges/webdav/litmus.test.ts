import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../../support/http-client.js';
import { onboard, rmSync, startStack, tempDir, type TestStack } from '../../support/stack.js';
import { toolAvailable } from './tools.js';

const HAS_LITMUS = toolAvailable('litmus');

/** Runs a program, collecting its output; resolves with the exit code. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: process.env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe.skipIf(!HAS_LITMUS)('litmus, the WebDAV compliance suite, against a real stack', () => {
  let t: TestStack;
  let url: string;
  /** litmus writes its debug.log to the working directory. */
  let cwd: string;

  beforeAll(async () => {
    // litmus reaches the stack as 127.0.0.1, so that is the instance's name here.
    t = await startStack({ config: { defaultInstance: '127.0.0.1' } });
    const client = t.client.forHost('127.0.0.1');
    await onboard(client, 'alice', 'password');
    const made = await client.request('MKCOL', '/dav/files/litmus/', { headers: basic('alice', 'password') });
    expect(made.status).toBe(201);
    url = `http://127.0.0.1:${t.port}/dav/files/litmus/`;
    cwd = tempDir('nuage-litmus-');
  });

  afterAll(async () => {
    await t?.dispose();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('passes every test of the basic, copymove, props, locks and http groups', async () => {
    const { code, output } = await run('litmus', [url, 'alice', 'password'], cwd);
    if (process.env.NUAGE_LITMUS_LOG) console.log(output);
    const failed = output.split('\n').filter((line) => /\bFAIL\b/.test(line));
    expect(failed, output).toEqual([]);
    for (const group of ['basic', 'copymove', 'props', 'locks', 'http']) {
      expect(output).toMatch(
        new RegExp(`<- summary for \`${group}': of \\d+ tests run: \\d+ passed, 0 failed`),
      );
    }
    expect(code, output).toBe(0);
  }, 120_000);
});
