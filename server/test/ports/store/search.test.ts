import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH, SearchRegistry } from '../../../src/data/search/index.js';
import { BadRequest } from '../../../src/errors.js';
import type { DocBody, DocumentStore, WrittenDoc } from '../../../src/ports/store/documents.js';
import type {
  PostgresInstanceStore,
  PostgresStore,
} from '../../../src/ports/store/postgres/postgres-store.js';
import { PostgresSearch } from '../../../src/ports/store/postgres/search.js';
import type { SearchIndex, SearchResults } from '../../../src/ports/store/search-index.js';
import { SqliteSearch } from '../../../src/ports/store/sqlite/search.js';
import type { SqliteInstanceStore, SqliteStore } from '../../../src/ports/store/sqlite/sqlite-store.js';
import type { InstanceStore } from '../../../src/ports/store/store.js';
import { STORE_ADAPTERS, type StoreAdapter, type StoreFixture } from '../../support/stores.js';

const NOTES = 'io.nuage.notes';
const TODOS = 'io.nuage.todos';
const CONTACTS = 'io.nuage.contacts';

type FailingParticipant = (doctype: string, written: readonly WrittenDoc[]) => void;

/** The adapter's built-in index (kept by a write participant), and hooks to add others beside it. */
function attach(
  adapter: StoreAdapter,
  instance: InstanceStore,
  registry: SearchRegistry,
): {
  index: SearchIndex;
  addParticipant: (onWrite: FailingParticipant) => void;
  /** Another reader of the same index, ranking at most `rankedMatches` recent matches. */
  narrow: (rankedMatches: number) => SearchIndex;
} {
  if (adapter.name === 'sqlite') {
    const sqlite = instance as SqliteInstanceStore;
    return {
      index: sqlite.search,
      addParticipant: (onWrite) => sqlite.documents.addParticipant({ onWrite: (_db, d, w) => onWrite(d, w) }),
      narrow: (rankedMatches) => new SqliteSearch(sqlite.db, registry, rankedMatches),
    };
  }
  const postgres = instance as PostgresInstanceStore;
  return {
    index: postgres.search,
    addParticipant: (onWrite) =>
      postgres.documents.addParticipant({ onWrite: async (_client, d, w) => onWrite(d, w) }),
    narrow: (rankedMatches) => new PostgresSearch(postgres.pool, postgres.schema, registry, rankedMatches),
  };
}

describe.each(STORE_ADAPTERS)('search index on $name', (adapter) => {
  let fx: StoreFixture;
  let docs: DocumentStore;
  let index: SearchIndex;
  let registry: SearchRegistry;
  let addParticipant: (onWrite: FailingParticipant) => void;
  let narrow: (rankedMatches: number) => SearchIndex;

  beforeEach(async () => {
    fx = await adapter.create();
    const instance = await fx.store.open(await fx.store.instances.create('alice.localhost'));
    docs = instance.documents;
    registry = (fx.store as SqliteStore | PostgresStore).searchable;
    ({ index, addParticipant, narrow } = attach(adapter, instance, registry));
  });
  afterEach(async () => {
    await fx.dispose();
  });

  const put = async (doctype: string, id: string, body: DocBody, parentRev: string | null = null) => {
    const [result] = (
      await docs.writeDocs(doctype, [{ id, deleted: false, body, parentRev }], { newEdits: true })
    ).results;
    if (!result?.ok) throw new Error(`write failed: ${JSON.stringify(result)}`);
    return result.rev;
  };
  const remove = async (doctype: string, id: string, parentRev: string) =>
    docs.writeDocs(doctype, [{ id, deleted: true, body: {}, parentRev }], { newEdits: true });
  const ids = (results: SearchResults) => results.hits.map((hit) => hit.id);
  const find = async (query: string, doctypes: readonly string[] | 'all' = 'all') =>
    ids(await index.search(query, { doctypes }));

  it('ranks a title match above a body match', async () => {
    await put(NOTES, 'body', { title: 'Shopping list', content: 'seeds for the garden, then milk' });
    await put(NOTES, 'title', { title: 'Garden plans', content: 'tomatoes along the south wall' });
    const results = await index.search('garden', { doctypes: 'all' });
    expect(ids(results)).toEqual(['title', 'body']);
    expect(results.hits[0]!.score).toBeGreaterThan(results.hits[1]!.score);
  });

  it('folds accents both ways', async () => {
    await put(CONTACTS, 'accented', { fullname: 'Élodie Müller' });
    await put(CONTACTS, 'plain', { fullname: 'Elodie Muller' });
    expect((await find('elodie muller')).sort()).toEqual(['accented', 'plain']);
    expect((await find('ÉLODIE MÜLLER')).sort()).toEqual(['accented', 'plain']);
  });

  it('matches words by prefix for type-ahead, and quoted phrases as whole words', async () => {
    await put(CONTACTS, 'jeanne', { name: { givenName: 'Jeanne', familyName: 'Dupont' } });
    await put(CONTACTS, 'jean', { fullname: 'Jean Valjean', email: [{ address: 'jv@example.org' }] });
    expect((await find('jea')).sort()).toEqual(['jean', 'jeanne']);
    expect(await find('jeanne dup')).toEqual(['jeanne']);
    expect(await find('"jean"')).toEqual(['jean']);
    expect(await find('"jeanne dupont"')).toEqual(['jeanne']);
    expect(await find('"dupont jeanne"')).toEqual([]);
    expect(await find('example')).toEqual(['jean']);
    expect(await find('xjea')).toEqual([]);
  });

  it('finds a word longer than a token by its clipped form, alone or in a phrase, and not a shorter word', async () => {
    const long = (c: string): string => c.repeat(MAX_TOKEN_LENGTH + 20);
    const [a, b, e] = [long('a'), long('b'), long('é')];
    await put(NOTES, 'long', { title: `Hash ${a}`, content: `${b} café ${e}` });
    expect(await find(`"${a}"`)).toEqual(['long']);
    expect(await find(`"${a}zz"`)).toEqual(['long']);
    expect(await find(a.slice(0, 30))).toEqual(['long']);
    expect(await find(`"hash ${a}"`)).toEqual(['long']);
    expect(await find(`"${b} cafe ${e}"`)).toEqual(['long']);
    expect(await find(`"${e}"`)).toEqual(['long']);
    expect(await find(`"${a.slice(0, 30)}"`)).toEqual([]);
    expect(await find(`"${b} hash"`)).toEqual([]);
  });

  it('removes a deleted document from the index', async () => {
    const rev = await put(NOTES, 'n', { title: 'Ephemeral thought' });
    expect(await find('ephemeral')).toEqual(['n']);
    await remove(NOTES, 'n', rev);
    expect(await find('ephemeral')).toEqual([]);
  });

  it('replaces the old text when a document is updated', async () => {
    const first = await put(NOTES, 'n', { title: 'Alpha draft' });
    const second = await put(NOTES, 'n', { title: 'Beta release' }, first);
    expect(await find('alpha')).toEqual([]);
    const results = await index.search('beta', { doctypes: 'all' });
    expect(results.hits).toMatchObject([{ doctype: NOTES, id: 'n', rev: second, title: 'Beta release' }]);
  });

  it('does not index doctypes that declare no searchable fields', async () => {
    await put('com.example.secrets', 's', { title: 'Launch codes' });
    expect(await find('launch')).toEqual([]);
    expect(await index.reindex('com.example.secrets')).toBe(0);
    expect(await find('launch')).toEqual([]);
  });

  it('searches only the doctypes asked for', async () => {
    await put(NOTES, 'note', { title: 'Dentist', content: 'bring the forms' });
    await put(TODOS, 'todo', { summary: 'Call the dentist' });
    expect((await find('dentist')).sort()).toEqual(['note', 'todo']);
    expect(await find('dentist', [TODOS])).toEqual(['todo']);
    expect(await find('dentist', [TODOS, 'com.example.other'])).toEqual(['todo']);
    expect((await find('dentist', [NOTES, 'com.example.other', TODOS])).sort()).toEqual(['note', 'todo']);
    expect(await find('dentist', [])).toEqual([]);
  });

  it('returns titles and snippets highlighted, with the document text escaped, the same on every adapter', async () => {
    await put(NOTES, 'n', {
      title: 'Café <b>notes</b>',
      content: `${'Filler words before the point. '.repeat(5)}<script>alert(1)</script> The café opens at 8.`,
    });
    const [hit] = (await index.search('CAFE', { doctypes: [NOTES] })).hits;
    expect(hit).toMatchObject({
      title: 'Café <b>notes</b>',
      titleHtml: '<mark>Café</mark> &#60;b&#62;notes&#60;/b&#62;',
    });
    expect(hit?.snippet).toBe(
      '… before the point. Filler words before the point. Filler words before the point. ' +
        'Filler words before the point. &#60;script&#62;alert(1)&#60;/script&#62; ' +
        'The <mark>café</mark> opens at 8.',
    );
  });

  it('leaves the index unchanged when a write batch fails', async () => {
    const rev = await put(NOTES, 'n', { title: 'Alpha' });
    addParticipant(() => {
      throw new Error('a later participant fails');
    });
    await expect(
      docs.writeDocs(
        NOTES,
        [
          { id: 'n', deleted: false, body: { title: 'Beta' }, parentRev: rev },
          { id: 'm', deleted: false, body: { title: 'Gamma' } },
        ],
        { newEdits: true },
      ),
    ).rejects.toThrow('a later participant fails');
    expect((await index.search('alpha', { doctypes: 'all' })).hits).toMatchObject([{ id: 'n', rev }]);
    expect(await find('beta')).toEqual([]);
    expect(await find('gamma')).toEqual([]);
  });

  it('pages through hits and says whether more follow', async () => {
    const edits = Array.from({ length: 5 }, (_, i) => ({
      id: `n${i}`,
      deleted: false,
      body: { title: `Meeting ${i}` },
    }));
    await docs.writeDocs(NOTES, edits, { newEdits: true });
    const first = await index.search('meeting', { doctypes: 'all', limit: 3 });
    const second = await index.search('meeting', { doctypes: 'all', limit: 3, offset: 3 });
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    expect([...ids(first), ...ids(second)].sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });

  it('ranks only the most recently written matches of a query that matches more than that', async () => {
    const oldRev = await put(NOTES, 'old', { title: 'Meeting' });
    for (const i of [1, 2, 3])
      await put(NOTES, `new${i}`, { title: `Note ${i}`, content: 'after the meeting' });
    expect((await find('meeting'))[0]).toBe('old');
    const recent = narrow(3);
    const first = await recent.search('meeting', { doctypes: 'all', limit: 2 });
    const second = await recent.search('meeting', { doctypes: 'all', limit: 2, offset: 2 });
    expect([...ids(first), ...ids(second)].sort()).toEqual(['new1', 'new2', 'new3']);
    expect([first.hasMore, second.hasMore]).toEqual([true, false]);
    await put(NOTES, 'old', { title: 'Meeting again' }, oldRev);
    expect(ids(await recent.search('meeting', { doctypes: 'all' }))[0]).toBe('old');
    expect(ids(await recent.search('meeting', { doctypes: [NOTES] }))).toHaveLength(3);
  });

  it('refuses unusable queries and pages', async () => {
    await expect(index.search('  ', { doctypes: 'all' })).rejects.toThrow(BadRequest);
    await expect(index.search('"" OR *', { doctypes: 'all' })).resolves.toMatchObject({ hits: [] });
    await expect(index.search('x', { doctypes: 'all', limit: 0 })).rejects.toThrow(BadRequest);
  });

  it('takes injection attempts as plain words', async () => {
    await put(NOTES, 'n', { title: 'foo bar near or' });
    for (const query of [
      '"foo" OR bar*',
      'NEAR(foo bar)',
      'foo:* & bar | !near',
      "foo' & 'bar",
      'title:foo',
    ]) {
      await expect(index.search(query, { doctypes: 'all' })).resolves.toBeDefined();
    }
    expect(await find('"foo" OR bar*')).toEqual(['n']);
    expect(await find('NEAR(foo bar)')).toEqual(['n']);
  });

  it('reindexes a doctype declared searchable after its documents were written', async () => {
    const T = 'com.example.recipes';
    const edits = Array.from({ length: 1100 }, (_, i) => ({
      id: `r${String(i).padStart(4, '0')}`,
      deleted: false,
      body: { name: `Recipe ${i}`, ...(i % 2 === 0 ? { tag: 'vegetarian' } : {}) },
    }));
    await docs.writeDocs(T, edits, { newEdits: true });
    registry.declare(T, { title: ['name'], body: [] });
    expect(await find('recipe', [T])).toEqual([]);
    expect(await index.reindex(T)).toBe(1100);
    expect((await index.search('recipe', { doctypes: [T], limit: 100 })).hasMore).toBe(true);
    expect(await find('1099')).toEqual(['r1099']);

    registry.declare(T, { title: ['tag'], body: [] });
    expect(await index.reindex(T)).toBe(550);
    expect(await find('recipe')).toEqual([]);
    expect(await find('1098')).toEqual([]);
    const vegetarian = await index.search('vegetarian', { doctypes: [T], limit: 100, offset: 500 });
    expect(vegetarian.hits).toHaveLength(50);

    registry.forget(T);
    expect(await index.reindex(T)).toBe(0);
    expect(await find('vegetarian')).toEqual([]);
  });

  it('follows the winning revision when replication brings a conflict', async () => {
    await docs.writeDocs(
      NOTES,
      [{ id: 'c', deleted: false, body: { title: 'Apple' }, revisions: { start: 1, ids: ['a'.repeat(32)] } }],
      {
        newEdits: false,
      },
    );
    await docs.writeDocs(
      NOTES,
      [
        {
          id: 'c',
          deleted: false,
          body: { title: 'Banana' },
          revisions: { start: 1, ids: ['f'.repeat(32)] },
        },
      ],
      {
        newEdits: false,
      },
    );
    expect(await find('banana')).toEqual(['c']);
    expect(await find('apple')).toEqual([]);
  });
});
