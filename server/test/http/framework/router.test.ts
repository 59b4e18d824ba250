import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/http/framework/router.js';

describe('router', () => {
  it('prefers a static segment to a parameter whatever the registration order', () => {
    const router = new Router<string>();
    router.add('/data/:doctype/:id', 'doc');
    router.add('/data/:doctype/_changes', 'changes');
    router.add('/files/*', 'files');
    expect(router.find('/data/io.todos/_changes')).toEqual({
      value: 'changes',
      params: { doctype: 'io.todos' },
    });
    expect(router.find('/data/io.todos/abc')).toEqual({
      value: 'doc',
      params: { doctype: 'io.todos', id: 'abc' },
    });
    expect(router.find('/files/a/b%20c')).toEqual({ value: 'files', params: { '*': 'a/b c' } });
    expect(router.find('/data/io.todos')).toBeNull();
  });

  it('decodes parameters and keeps static paths exact', () => {
    const router = new Router<string>();
    router.add('/status', 'status');
    router.add('/data/:doctype/_local/:id', 'local');
    expect(router.find('/status')).toEqual({ value: 'status', params: {} });
    expect(router.find('/status/')).toBeNull();
    expect(router.find('/data/t/_local/a%2Fb')?.params.id).toBe('a/b');
  });
});
