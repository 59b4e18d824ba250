import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

type Version = { id: string; size: number; mime: string; updated_at: string; sha256: string };
type Entry = { id: string; rev: string; size: number; sha256: string; versions?: Version[] };

describe('file contents and versions over /files', () => {
  let t: TestStack;
  let alice: Client;
  let owner: Record<string, string>;
  let reader: Record<string, string>;

  const upload = async (name: string, text: string) => {
    const res = await alice.post(`/files/${ROOT_ID}?Type=file&Name=${name}`, {
      body: text,
      headers: { ...owner, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(201);
    return res.json<Entry>();
  };
  const overwrite = (id: string, text: string, headers: Record<string, string> = {}) =>
    alice.put(`/files/${id}`, {
      body: text,
      headers: { ...owner, 'content-type': 'text/markdown', ...headers },
    });

  beforeAll(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost');
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    const tokenFor = async (rules: unknown) =>
      bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
    reader = await tokenFor([{ type: 'io.nuage.files', verbs: ['GET'] }]);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('overwrites a file’s content with PUT, keeping the earlier one as a version', async () => {
    const file = await upload('plan.txt', 'version one');
    const res = await overwrite(file.id, 'version two, longer');
    expect(res.status).toBe(200);
    const after = res.json<Entry>();
    expect(after).toMatchObject({ id: file.id, size: 19, mime: 'text/markdown' });
    expect(after.rev).not.toBe(file.rev);
    expect(after.versions).toHaveLength(1);
    expect(after.versions?.[0]).toMatchObject({ size: 11, mime: 'text/plain' });
    expect(after.versions?.[0]).not.toHaveProperty('blob');
    expect((await alice.get(`/files/download/${file.id}`, { headers: owner })).text).toBe(
      'version two, longer',
    );

    const list = await alice.get(`/files/${file.id}/versions`, { headers: reader });
    expect(list.status).toBe(200);
    const [version] = list.json<{ versions: Version[] }>().versions;
    const content = await alice.get(`/files/${file.id}/versions/${version?.id}`, { headers: reader });
    expect(content.status).toBe(200);
    expect(content.text).toBe('version one');
    expect(content.headers.etag).toBe(`"${file.sha256.slice(0, 32)}"`);
    const part = await alice.get(`/files/${file.id}/versions/${version?.id}`, {
      headers: { ...reader, range: 'bytes=8-' },
    });
    expect(part.status).toBe(206);
    expect(part.text).toBe('one');
  });

  it('restores a version and deletes one, with write permission only', async () => {
    const file = await upload('restore.txt', 'old');
    const newer = (await overwrite(file.id, 'new')).json<Entry>();
    const id = newer.versions?.[0]?.id ?? '';
    expect((await alice.post(`/files/${file.id}/versions/${id}/restore`, { headers: reader })).status).toBe(
      403,
    );
    const restored = await alice.post(`/files/${file.id}/versions/${id}/restore`, { headers: owner });
    expect(restored.status).toBe(200);
    expect(restored.json<Entry>().sha256).toBe(file.sha256);
    expect((await alice.get(`/files/download/${file.id}`, { headers: owner })).text).toBe('old');
    const replacedId = restored.json<Entry>().versions?.[0]?.id ?? '';
    expect((await alice.delete(`/files/${file.id}/versions/${replacedId}`, { headers: reader })).status).toBe(
      403,
    );
    const deleted = await alice.delete(`/files/${file.id}/versions/${replacedId}`, { headers: owner });
    expect(deleted.status).toBe(200);
    expect(deleted.json<Entry>().versions).toBeUndefined();
    const missing = await alice.get(`/files/${file.id}/versions/${replacedId}`, { headers: owner });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses a stale If-Match with 412 and writes nothing', async () => {
    const file = await upload('guarded.txt', 'guarded');
    const moved = (
      await overwrite(file.id, 'changed', { 'if-match': `"${file.sha256.slice(0, 32)}"` })
    ).json<Entry>();
    const stale = await overwrite(file.id, 'lost update', { 'if-match': `"${file.sha256.slice(0, 32)}"` });
    expect(stale.status).toBe(412);
    const staleRev = await overwrite(file.id, 'lost update', { 'if-match': `"${file.rev}"` });
    expect(staleRev.status).toBe(412);
    const now = (await alice.get(`/files/${file.id}`, { headers: owner })).json<Entry>();
    expect(now.rev).toBe(moved.rev);
    expect(now.versions).toHaveLength(1);
    expect((await overwrite(file.id, 'by rev', { 'if-match': `"${moved.rev}"` })).status).toBe(200);
  });

  it('refuses to overwrite a directory, or without write permission', async () => {
    const dir = (
      await alice.post(`/files/${ROOT_ID}?Type=directory&Name=folder`, { headers: owner })
    ).json<Entry>();
    const res = await overwrite(dir.id, 'text');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const file = await upload('mine.txt', 'mine');
    const refused = await alice.put(`/files/${file.id}`, { body: 'theirs', headers: reader });
    expect(refused.status).toBe(403);
    expect((await alice.get(`/files/download/${file.id}`, { headers: owner })).text).toBe('mine');
  });
});
