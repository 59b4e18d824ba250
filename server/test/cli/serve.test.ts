import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../support/http-client.js';
import { tempDir } from '../support/stores.js';

const BIN = fileURLToPath(new URL('../../bin/nuage.js', import.meta.url));

/** Starts the real `nuage serve` (the compiled one `npm start` runs) and waits for its address. */
function serve(dataDir: string) {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    {
      env: { ...process.env, NUAGE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, port, exited, logs: () => stdout };
}

describe('nuage serve', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the default instance on first start, serves it, and stops cleanly on SIGTERM', async () => {
    dir = tempDir();
    const server = serve(dir);
    const client = new Client(await server.port, 'localhost');
    expect((await client.get('/status')).json()).toEqual({ status: 'ok' });
    const home = await client.get('/');
    expect(home.headers.location).toBe('/auth/onboarding');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const line of requests) expect(line.reqId).toEqual(expect.any(String));
    expect(lines.some((l) => l.msg === 'shutting down')).toBe(true);
  });
});
