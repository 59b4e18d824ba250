import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../src/cli/replicate.js';
import { ConfigError } from '../../src/errors.js';
import { RemoteDb } from '../../src/replication/remote-db.js';
import { replicationId, resumeFrom } from '../../src/replication/replicator.js';

describe('where a replication resumes', () => {
  const entry = (session_id: string, recorded_seq: number) => ({ session_id, recorded_seq });

  it('starts over without a log on the target, or when the source lost its own', () => {
    expect(resumeFrom(null, null)).toBe(0);
    expect(resumeFrom({ session_id: 'a', source_last_seq: 9 }, null)).toBe(0);
    expect(resumeFrom(null, { session_id: 'a', source_last_seq: 9 })).toBe(0);
  });

  it('resumes from the last seq when both sides recorded the same session', () => {
    const log = { session_id: 'b', source_last_seq: 42, history: [entry('b', 42), entry('a', 10)] };
    expect(resumeFrom(log, { ...log })).toBe(42);
  });

  it('falls back to the newest session both histories share when one side missed a checkpoint', () => {
    const source = { session_id: 'b', source_last_seq: 42, history: [entry('b', 42), entry('a', 10)] };
    const target = { session_id: 'c', source_last_seq: 50, history: [entry('c', 50), entry('a', 10)] };
    expect(resumeFrom(source, target)).toBe(10);
  });

  it("trusts the target's log alone when the source could not hold a checkpoint", () => {
    expect(resumeFrom(null, { session_id: 'a', source_last_seq: 7, source_checkpointed: false })).toBe(7);
  });

  it('names a replication by its two databases, whatever credentials reach them', () => {
    const http = () => Promise.resolve(null);
    const a = new RemoteDb('http://u:p@a.localhost/data/io.x', http);
    const b = new RemoteDb('http://b.localhost/data/io.x/', http);
    expect(replicationId(a, b)).toBe(replicationId(new RemoteDb('http://a.localhost/data/io.x', http), b));
    expect(replicationId(a, b)).not.toBe(replicationId(b, a));
  });
});

describe('replicate endpoints', () => {
  it("puts an instance origin's doctypes under /data, and lists them at /data/_doctypes", () => {
    const e = parseEndpoint('http://alice:s%3Acret@alice.localhost:8080', undefined, '--from');
    expect(e.dbUrl('io.nuage.todos').href).toBe('http://alice.localhost:8080/data/io.nuage.todos');
    expect(e.listUrl?.href).toBe('http://alice.localhost:8080/data/_doctypes');
    expect(e.label).toBe('http://alice.localhost:8080');
  });

  it('names one CouchDB database per doctype with {doctype} or {db}', () => {
    const raw = parseEndpoint('https://couch.example.org/backup-{doctype}', undefined, '--to');
    expect(raw.dbUrl('io.nuage.todos').href).toBe('https://couch.example.org/backup-io.nuage.todos');
    const safe = parseEndpoint('https://couch.example.org/backup-{db}', 'token', '--to');
    expect(safe.dbUrl('io.nuage.todos').href).toBe('https://couch.example.org/backup-io$nuage$todos');
    expect(safe.listUrl).toBeNull();
  });

  it('refuses what is not an origin or a database template', () => {
    for (const url of ['not a url', 'ftp://a.localhost', 'http://a.localhost/just/a/path']) {
      expect(() => parseEndpoint(url, undefined, '--from'), url).toThrow(ConfigError);
    }
  });
});
