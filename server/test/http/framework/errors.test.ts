import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conflict } from '../../../src/errors.js';
import { App } from '../../../src/http/framework/app.js';
import { createLogger } from '../../../src/http/framework/log.js';
import { handleError } from '../../../src/http/problem.js';
import { Client } from '../../support/http-client.js';

describe('error mapping', () => {
  let app: App;
  let client: Client;
  let logs: Record<string, unknown>[];
  beforeEach(async () => {
    logs = [];
    app = new App({
      logger: createLogger('info', (line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
      bodyLimit: 1024,
      trustProxy: false,
    });
    app.setErrorHandler(handleError);
    app.get('/boom', () => {
      throw new TypeError('secret internals at /home/x');
    });
    app.get('/conflict', () => {
      throw new Conflict('already there');
    });
    app.post('/echo', (request) => ({ got: request.body }));
    client = new Client(Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port), 'localhost');
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers an unknown error with a 500 problem without the stack, and logs it once with the request id', async () => {
    const res = await client.get('/boom', { headers: { 'x-request-id': 'req-1' } });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.text).not.toContain('secret internals');
    expect(res.json().detail).toContain('req-1');
    const errors = logs.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      reqId: 'req-1',
      err: { type: 'TypeError', message: 'secret internals at /home/x' },
    });
  });

  it('maps our errors to their status with a stable problem type', async () => {
    const res = await client.get('/conflict');
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      type: 'https://nuage.dev/problems/conflict',
      title: 'conflict',
      status: 409,
      detail: 'already there',
      instance: '/conflict',
      error: 'conflict',
      reason: 'already there',
    });
  });

  it('refuses invalid JSON with a 400', async () => {
    const res = await client.post('/echo', {
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json().type).toContain('invalid_body');
  });

  it('refuses a body over the limit with a 413', async () => {
    const res = await client.post('/echo', { json: { pad: 'x'.repeat(2000) } });
    expect(res.status).toBe(413);
  });

  it('refuses an unsupported content type with a 415', async () => {
    const res = await client.post('/echo', { body: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(415);
  });

  it('drops __proto__ keys from JSON bodies', async () => {
    const res = await client.post('/echo', {
      body: '{"__proto__":{"admin":true},"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.json()).toEqual({ got: { a: 1 } });
  });

  it('drops __proto__ keys written with escapes, at any depth', async () => {
    const res = await client.post('/echo', {
      body: '{"\\u005f_proto__":{"admin":true},"b":{"__pro\\u0074o__":1,"c":"\\u00e9"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.json()).toEqual({ got: { b: { c: 'é' } } });
  });
});
