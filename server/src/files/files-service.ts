import type { Readable } from 'node:stream';
import type { DocumentService, WriteCallOptions } from '../data/documents.js';
import type { FindService } from '../data/find.js';
import type { DataScope } from '../data/format.js';
import { BadRequest, Conflict, NotFound, PayloadTooLarge } from '../errors.js';
import type { BlobInfo, BlobStore, ByteRange } from '../ports/blob/blob-store.js';
import {
  bytesOf,
  FILES,
  isEntry,
  ROOT_ID,
  type FileBody,
  type FileDoc,
  type FileVersion,
} from './file-doc.js';
import { checkName, splitPath } from './names.js';
import { KeyedLock } from '../ports/lock/keyed-lock.js';
import type { Lock } from '../ports/lock/lock.js';
import { below, walk, type Resolved } from './tree.js';
import { TreeIndex } from './tree-index.js';
import { FileUsage } from './usage.js';

export interface FilesServiceOptions {
  documents: DocumentService;
  blobs: BlobStore;
  /** Bytes of file content an instance may hold (trashed files count); undefined means unlimited. */
  quotaBytes?: number | undefined;
  now?: () => number;
  /** With it, paths, listings and clash checks use a Mango index (TreeIndex) instead of a scan. */
  find?: FindService;
  /** Earlier contents kept per file when it is overwritten (default 10; 0 keeps none). */
  versions?: number;
  /** Guards each directory's check-then-write of names; shared by every process (Redis) when there are several. */
  lock?: Lock;
}

export interface UploadOptions {
  mime?: string;
  expectedMd5?: string;
  expectedSha256?: string;
  /** The announced Content-Length: refused at once (413) when it cannot fit the quota. */
  declaredSize?: number;
  tags?: string[];
}

/** What `/files/_changes` asks for (see FilesService.changes). */
export interface FileChangesOptions {
  since?: number;
  limit?: number;
  /** Leave out entries deleted for good. */
  skipDeleted?: boolean;
  /** Leave out entries in the trash (their trashing is then not reported). */
  skipTrashed?: boolean;
  feed?: 'normal' | 'longpoll';
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One changed entry: its latest state, or its deletion. */
export interface FileChange {
  seq: number;
  id: string;
  rev: string;
  deleted?: true;
  doc?: FileDoc;
}

/** Permission hooks from the edge, run inside each document write (see DocumentService's WriteCheck). */
export type WriteOptions = WriteCallOptions;

/**
 * The file tree: directories and files as `io.nuage.files` documents written through the
 * DocumentService (so they get revisions, changes, search and realtime events), contents in the
 * BlobStore. Contents are stored before their document and deleted only after it, so a crash leaves at
 * worst an orphan blob, never a document without content. It checks no permissions: edges do.
 */
export class FilesService {
  private readonly documents: DocumentService;
  private readonly blobs: BlobStore;
  private readonly quotaBytes: number | undefined;
  private readonly now: () => number;
  private readonly nameLock: Lock;
  private readonly tree: TreeIndex | undefined;
  private readonly maxVersions: number;
  private readonly tally: FileUsage;

  constructor(options: FilesServiceOptions) {
    this.documents = options.documents;
    this.blobs = options.blobs;
    this.quotaBytes = options.quotaBytes;
    this.now = options.now ?? Date.now;
    this.tree = options.find && new TreeIndex(options.find);
    this.maxVersions = options.versions ?? 10;
    this.tally = new FileUsage(options.documents);
    this.nameLock = options.lock ?? new KeyedLock();
  }

  /** One entry; the root directory is created on first use. NotFound for anything else unknown. */
  async get(scope: DataScope, id: string): Promise<FileDoc> {
    if (id === ROOT_ID) return this.root(scope);
    const doc = await this.documents.get(scope, FILES, id);
    if (doc.type !== 'directory' && doc.type !== 'file') throw new NotFound('missing');
    return doc as unknown as FileDoc;
  }

  /** The live (not trashed) entries directly in a directory, directories first, then by name. */
  async children(scope: DataScope, dirId: string): Promise<FileDoc[]> {
    const dir = await this.directory(scope, dirId);
    const entries = this.tree ? await this.tree.children(scope, dir._id) : await this.all(scope);
    return entries
      .filter((doc) => doc.dir_id === dir._id && !doc.trashed)
      .sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === 'directory' ? -1 : 1));
  }

  /** The entries in the trash (on the trash index when there is one). */
  async trashed(scope: DataScope): Promise<FileDoc[]> {
    return this.tree ? this.tree.trashed(scope) : (await this.all(scope)).filter((doc) => doc.trashed);
  }

  /** A new directory; Conflict when the name is taken in the parent. */
  async createDirectory(
    scope: DataScope,
    parentId: string,
    rawName: unknown,
    options: WriteOptions = {},
  ): Promise<FileDoc> {
    const name = checkName(rawName);
    const parent = await this.directory(scope, parentId);
    return this.inDirectory(scope, parent._id, async () => {
      await this.checkFree(scope, parent._id, name);
      return this.insert(scope, this.newBody('directory', name, parent), options);
    });
  }

  /** `mkdir -p`: every missing directory of `/a/b/c`, returning the last; a file in the way is a Conflict. */
  async mkdirP(scope: DataScope, path: string, options: WriteOptions = {}): Promise<FileDoc> {
    let dir = await this.root(scope);
    for (const name of splitPath(path)) {
      const parent = dir;
      dir = await this.inDirectory(scope, parent._id, async () => {
        const existing = (await this.children(scope, parent._id)).find((c) => c.name === name);
        if (existing?.type === 'file') throw new Conflict(`${existing.path} is a file`);
        return existing ?? (await this.insert(scope, this.newBody('directory', name, parent), options));
      });
    }
    return dir;
  }

  /**
   * A new file: the body is streamed to the BlobStore (checksums checked there → PreconditionFailed,
   * the quota → PayloadTooLarge), then the document is written; if that fails the blob is deleted.
   * The name is checked before the body streams, so a clash is refused without reading it, and again
   * before the write. `parent` is the directory's id, or the live directory itself as a path walk that
   * found no entry of that name just gave it (WebDAV): it is then neither read nor checked again first.
   */
  async upload(
    scope: DataScope,
    parentOrId: string | FileDoc,
    rawName: unknown,
    body: Readable,
    options: UploadOptions & WriteOptions = {},
  ): Promise<FileDoc> {
    const name = checkName(rawName);
    let parent: FileDoc;
    if (typeof parentOrId === 'string') {
      parent = await this.directory(scope, parentOrId);
      await this.checkFree(scope, parent._id, name);
    } else parent = parentOrId;
    const blob = await this.storeBlob(scope, body, options, await this.room(scope));
    const fileBody: FileBody = {
      ...this.newBody('file', name, parent),
      ...contentFields(blob),
      mime: options.mime ?? 'application/octet-stream',
      tags: options.tags ?? [],
    };
    try {
      // A clash may have appeared while the body streamed.
      return await this.inDirectory(scope, parent._id, async () => {
        await this.checkFree(scope, parent._id, name);
        return this.insert(scope, fileBody, options);
      });
    } catch (error) {
      await this.blobs.delete(scope.instance.id, blob.blobId);
      throw error;
    }
  }

  /**
   * New content for an existing file, streamed and checked like an upload. The content it replaces
   * becomes its newest version (unless the bytes are the same); beyond the configured number, or when
   * the quota needs their room, the oldest versions go. Blobs are deleted only once the document no
   * longer names them.
   */
  async replace(
    scope: DataScope,
    id: string,
    body: Readable,
    options: UploadOptions & WriteOptions = {},
  ): Promise<FileDoc> {
    const before = await this.get(scope, id);
    if (before.type !== 'file') throw new Conflict(`${before.path} is a directory`);
    const room = await this.room(scope);
    // The file's own content and versions can all give way to the new content.
    const blob = await this.storeBlob(
      scope,
      body,
      options,
      room === undefined ? undefined : room + bytesOf(before),
    );
    let saved: FileDoc;
    let dropped: string[];
    try {
      const current = await this.get(scope, id);
      const free =
        this.quotaBytes === undefined
          ? undefined
          : this.quotaBytes - (await this.used(scope)) + bytesOf(current);
      const earlier =
        blob.sha256 === current.sha256
          ? (current.versions ?? [])
          : [...versionOf(current), ...(current.versions ?? [])];
      const versions = this.keep(earlier, free === undefined ? undefined : free - blob.size);
      dropped = blobsOf(current).filter((old) => !versions.some((v) => v.blob === old));
      saved = await this.save(
        scope,
        {
          ...withoutContent(current),
          ...contentFields(blob),
          mime: options.mime ?? current.mime ?? 'application/octet-stream',
          ...(versions.length > 0 ? { versions } : {}),
        },
        options,
      );
    } catch (error) {
      await this.blobs.delete(scope.instance.id, blob.blobId);
      throw error;
    }
    for (const old of dropped) await this.blobs.delete(scope.instance.id, old);
    return saved;
  }

  /** A file's earlier contents, newest first. */
  async versions(scope: DataScope, id: string): Promise<FileVersion[]> {
    return (await this.file(scope, id)).versions ?? [];
  }

  /** The content of one version, whole or an inclusive range; NotFound for an unknown version. */
  async downloadVersion(
    scope: DataScope,
    id: string,
    versionId: string,
    range?: ByteRange,
  ): Promise<{ file: FileDoc; version: FileVersion; stream: Readable }> {
    const file = await this.file(scope, id);
    const version = findVersion(file, versionId);
    return { file, version, stream: await this.blobs.read(scope.instance.id, version.blob, range) };
  }

  /**
   * Makes a version the file's content again; the content it replaces becomes the newest version, so a
   * restore can itself be undone. No bytes are copied: the version's blob becomes the content's.
   */
  async restoreVersion(
    scope: DataScope,
    id: string,
    versionId: string,
    options: WriteOptions = {},
  ): Promise<FileDoc> {
    const current = await this.file(scope, id);
    const version = findVersion(current, versionId);
    const others = (current.versions ?? []).filter((v) => v !== version);
    const versions = this.keep([...versionOf(current), ...others], undefined);
    const { blob, size, mime, md5sum, sha256 } = version;
    const saved = await this.save(
      scope,
      {
        ...withoutContent(current),
        blob,
        size,
        mime,
        ...(md5sum === undefined ? {} : { md5sum }),
        ...(sha256 === undefined ? {} : { sha256 }),
        ...(versions.length > 0 ? { versions } : {}),
      },
      options,
    );
    for (const old of blobsOf(current)) {
      if (old !== blob && !versions.some((v) => v.blob === old))
        await this.blobs.delete(scope.instance.id, old);
    }
    return saved;
  }

  /** Deletes one version for good, freeing its room. */
  async deleteVersion(
    scope: DataScope,
    id: string,
    versionId: string,
    options: WriteOptions = {},
  ): Promise<FileDoc> {
    const current = await this.file(scope, id);
    const version = findVersion(current, versionId);
    const versions = (current.versions ?? []).filter((v) => v !== version);
    const { versions: _all, ...rest } = current;
    const saved = await this.save(scope, { ...rest, ...(versions.length > 0 ? { versions } : {}) }, options);
    await this.blobs.delete(scope.instance.id, version.blob);
    return saved;
  }

  /**
   * The live entry at a path of checked names, walked by ids from the root (so a trashed directory
   * hides what is below it), with its parent: `parent` is null when a step on the way is missing or a file.
   */
  async resolve(scope: DataScope, names: string[]): Promise<Resolved> {
    if (this.tree) return this.tree.walk(scope, await this.root(scope), names);
    return walk(await this.root(scope), await this.all(scope), names);
  }

  /**
   * Every live entry below a directory (zip downloads, share links): trashed entries and what they
   * hold are left out; each directory comes before its contents. With the tree index it is read
   * directory by directory, so an entry moved during the walk may be missed or seen twice.
   */
  async descendants(scope: DataScope, dirId: string): Promise<FileDoc[]> {
    return below(this.tree ? await this.tree.subtree(scope, dirId, false) : await this.all(scope), dirId);
  }

  /**
   * Whether an entry is live and reachable from the root by names: false when it or any directory
   * above it is in the trash (their children keep `trashed: false`, docs/files.md).
   */
  async reachable(scope: DataScope, entry: FileDoc): Promise<boolean> {
    if (entry._id === ROOT_ID) return true;
    const names = entry.path.split('/').filter((part) => part !== '');
    return (await this.resolve(scope, names)).entry?._id === entry._id;
  }

  /**
   * Copies an entry into `parentId` under `rawName`, dead properties included: a file's content is
   * copied blob to blob (within the quota), a directory alone or, when `deep`, with everything below it.
   * A clash in the target is a Conflict; a directory into itself a BadRequest.
   */
  async copy(
    scope: DataScope,
    id: string,
    parentId: string,
    rawName: unknown,
    options: WriteOptions & { deep?: boolean } = {},
  ): Promise<FileDoc> {
    const name = checkName(rawName);
    const source = await this.get(scope, id);
    const parent = await this.directory(scope, parentId);
    if (
      source.type === 'directory' &&
      (parent._id === source._id || parent.path.startsWith(`${source.path}/`))
    ) {
      throw new BadRequest('a directory cannot be copied into itself');
    }
    const copied = await this.copyOne(scope, source, parent, name, options);
    if (source.type === 'directory' && options.deep) {
      for (const child of await this.children(scope, source._id)) {
        await this.copy(scope, child._id, copied._id, child.name, options);
      }
    }
    return copied;
  }

  /** Sets (a string) and removes (null) dead properties of an entry in one document write. */
  async setProperties(
    scope: DataScope,
    id: string,
    changes: ReadonlyMap<string, string | null>,
    options: WriteOptions = {},
  ): Promise<FileDoc> {
    const entry = await this.get(scope, id);
    const properties = { ...entry.properties };
    for (const [key, value] of changes) {
      if (value === null) delete properties[key];
      else properties[key] = value;
    }
    return this.save(scope, { ...entry, properties }, options);
  }

  /** Bytes used (trash included) and the instance's quota (undefined: unlimited). */
  async usage(scope: DataScope): Promise<{ used: number; quota: number | undefined }> {
    return { used: await this.used(scope), quota: this.quotaBytes };
  }

  /** The content of a file, whole or an inclusive range. */
  async download(
    scope: DataScope,
    id: string,
    range?: ByteRange,
  ): Promise<{ file: FileDoc; stream: Readable }> {
    const file = await this.get(scope, id);
    if (file.type !== 'file' || file.blob === undefined) throw new BadRequest('not a file');
    return { file, stream: await this.blobs.read(scope.instance.id, file.blob, range) };
  }

  /**
   * Renames and/or moves an entry. A directory cannot move into itself or below itself (BadRequest);
   * the root cannot move; a clash in the target is a Conflict. Descendants' paths follow.
   */
  async update(
    scope: DataScope,
    id: string,
    patch: { name?: unknown; dir_id?: unknown },
    options: WriteOptions = {},
  ): Promise<FileDoc> {
    if (id === ROOT_ID) throw new BadRequest('the root directory cannot be renamed or moved');
    const entry = await this.get(scope, id);
    const name = patch.name === undefined ? entry.name : checkName(patch.name);
    if (patch.dir_id !== undefined && typeof patch.dir_id !== 'string') {
      throw new BadRequest('dir_id must be a string');
    }
    const parent = await this.directory(scope, patch.dir_id ?? entry.dir_id);
    if (
      entry.type === 'directory' &&
      (parent._id === entry._id || parent.path.startsWith(`${entry.path}/`))
    ) {
      throw new BadRequest('a directory cannot move into itself');
    }
    if (name === entry.name && parent._id === entry.dir_id) return entry;
    const path = joinPath(parent.path, name);
    const moved = await this.inDirectory(scope, parent._id, async () => {
      await this.checkFree(scope, parent._id, name);
      return this.save(scope, { ...entry, name, dir_id: parent._id, path }, options);
    });
    if (entry.type === 'directory') await this.repath(scope, entry, path, options);
    return moved;
  }

  /** Moves an entry to the trash (`trashed: true`, same place); the root cannot be trashed. */
  async trash(scope: DataScope, id: string, options: WriteOptions = {}): Promise<FileDoc> {
    if (id === ROOT_ID) throw new BadRequest('the root directory cannot be trashed');
    const entry = await this.get(scope, id);
    if (entry.trashed) return entry;
    return this.save(
      scope,
      { ...entry, trashed: true, trashed_at: new Date(this.now()).toISOString() },
      options,
    );
  }

  /** Takes an entry out of the trash; Conflict if its name was taken meanwhile, NotFound if its parent is gone. */
  async restore(scope: DataScope, id: string, options: WriteOptions = {}): Promise<FileDoc> {
    const entry = await this.get(scope, id);
    if (!entry.trashed) throw new BadRequest('this entry is not in the trash');
    return this.inDirectory(scope, entry.dir_id, async () => {
      await this.checkFree(scope, entry.dir_id, entry.name);
      const { trashed_at: _when, ...rest } = entry;
      return this.save(scope, { ...rest, trashed: false }, options);
    });
  }

  /**
   * Deletes a trashed entry for good, with everything below it: each document first, then its blob,
   * so a crash in between leaves an orphan blob rather than a document without content.
   */
  async destroy(scope: DataScope, id: string, options: WriteOptions = {}): Promise<void> {
    const entry = await this.get(scope, id);
    if (!entry.trashed) throw new BadRequest('only an entry in the trash can be deleted for good');
    const doomed =
      entry.type === 'directory' ? [...(await this.everythingBelow(scope, entry)), entry] : [entry];
    for (const doc of doomed) {
      await this.documents.delete(scope, FILES, doc._id, doc._rev, options);
      for (const blob of blobsOf(doc)) await this.blobs.delete(scope.instance.id, blob);
    }
  }

  /**
   * Deletes for good what went to the trash before `before` (ms since the epoch), with everything
   * below it; returns how many entries were emptied. Entries trashed before `trashed_at` existed are
   * dated by their last update, which trashing was.
   */
  async emptyTrash(scope: DataScope, before: number): Promise<number> {
    let emptied = 0;
    for (const doc of await this.trashed(scope)) {
      if (Date.parse(doc.trashed_at ?? doc.updated_at) >= before) continue;
      try {
        await this.destroy(scope, doc._id);
        emptied++;
      } catch (error) {
        // Restored, or gone with a directory emptied just before: nothing left to do for it.
        if (!(error instanceof NotFound) && !(error instanceof BadRequest) && !(error instanceof Conflict))
          throw error;
      }
    }
    return emptied;
  }

  /**
   * What changed in the tree after `since`, oldest first, each entry once at its latest state: the
   * io.nuage.files changes feed without the tree's own index documents.
   */
  async changes(
    scope: DataScope,
    options: FileChangesOptions,
  ): Promise<{ results: FileChange[]; last_seq: number }> {
    const feed = await this.documents.changes(scope, {
      doctype: FILES,
      since: options.since ?? 0,
      includeDocs: true,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.feed === undefined ? {} : { feed: options.feed }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const results: FileChange[] = [];
    for (const row of feed.results) {
      if (row.id.startsWith('_')) continue;
      const rev = row.changes[0]?.rev ?? '';
      if (row.deleted) {
        if (!options.skipDeleted) results.push({ seq: row.seq, id: row.id, rev, deleted: true });
      } else if (row.doc && isEntry(row.doc) && !(options.skipTrashed && row.doc.trashed)) {
        results.push({ seq: row.seq, id: row.id, rev, doc: row.doc });
      }
    }
    return { results, last_seq: feed.last_seq };
  }

  /** Bytes used by file contents, their versions and the trash (counted by FileUsage). */
  async used(scope: DataScope): Promise<number> {
    return this.tally.used(scope);
  }

  /** Streams a body into the BlobStore: checksums checked there, at most `room` bytes (PayloadTooLarge). */
  private async storeBlob(
    scope: DataScope,
    body: Readable,
    options: UploadOptions,
    room: number | undefined,
  ): Promise<BlobInfo> {
    const tooLarge = () => new PayloadTooLarge('this file does not fit in the quota');
    if (room !== undefined && options.declaredSize !== undefined && options.declaredSize > room) {
      throw tooLarge();
    }
    return this.blobs.write(scope.instance.id, body, {
      ...(options.expectedMd5 === undefined ? {} : { expectedMd5: options.expectedMd5 }),
      ...(options.expectedSha256 === undefined ? {} : { expectedSha256: options.expectedSha256 }),
      ...(room === undefined ? {} : { maxBytes: room, tooLarge }),
    });
  }

  /** One entry copied (not its children): a new document, and for a file a new blob with the same bytes. */
  private async copyOne(
    scope: DataScope,
    source: FileDoc,
    parent: FileDoc,
    name: string,
    options: WriteOptions,
  ): Promise<FileDoc> {
    const body: FileBody = {
      ...this.newBody(source.type, name, parent),
      tags: source.tags,
      ...(source.properties === undefined ? {} : { properties: source.properties }),
    };
    if (source.type === 'directory' || source.blob === undefined) {
      return this.inDirectory(scope, parent._id, async () => {
        await this.checkFree(scope, parent._id, name);
        return this.insert(scope, body, options);
      });
    }
    await this.checkFree(scope, parent._id, name);
    const content = await this.blobs.read(scope.instance.id, source.blob);
    const blob = await this.storeBlob(
      scope,
      content,
      { declaredSize: source.size ?? 0 },
      await this.room(scope),
    );
    try {
      return await this.inDirectory(scope, parent._id, async () => {
        await this.checkFree(scope, parent._id, name);
        return this.insert(
          scope,
          { ...body, ...contentFields(blob), mime: source.mime ?? 'application/octet-stream' },
          options,
        );
      });
    } catch (error) {
      await this.blobs.delete(scope.instance.id, blob.blobId);
      throw error;
    }
  }

  /** A file (not a directory), or BadRequest. */
  private async file(scope: DataScope, id: string): Promise<FileDoc> {
    const file = await this.get(scope, id);
    if (file.type !== 'file') throw new BadRequest(`${file.path} is a directory`);
    return file;
  }

  /**
   * The versions to keep of `earlier` (newest first): at most the configured number, and, when `room`
   * is given, only as many of the newest as fit in it.
   */
  private keep(earlier: FileVersion[], room: number | undefined): FileVersion[] {
    const kept: FileVersion[] = [];
    let bytes = 0;
    for (const version of earlier.slice(0, this.maxVersions)) {
      if (room !== undefined && bytes + version.size > room) break;
      bytes += version.size;
      kept.push(version);
    }
    return kept;
  }

  private async room(scope: DataScope): Promise<number | undefined> {
    if (this.quotaBytes === undefined) return undefined;
    return Math.max(0, this.quotaBytes - (await this.used(scope)));
  }

  private async root(scope: DataScope): Promise<FileDoc> {
    try {
      return (await this.documents.get(scope, FILES, ROOT_ID)) as unknown as FileDoc;
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
    const at = new Date(this.now()).toISOString();
    const body: FileBody = {
      type: 'directory',
      name: '',
      dir_id: '',
      path: '/',
      created_at: at,
      updated_at: at,
      tags: [],
      trashed: false,
    };
    try {
      const { rev } = await this.documents.put(scope, FILES, ROOT_ID, body);
      return { ...body, _id: ROOT_ID, _rev: rev };
    } catch (error) {
      // Another request created it first.
      if (error instanceof Conflict) return this.get(scope, ROOT_ID);
      throw error;
    }
  }

  private async directory(scope: DataScope, id: string): Promise<FileDoc> {
    const dir = await this.get(scope, id);
    if (dir.type !== 'directory') throw new BadRequest(`${dir.path} is not a directory`);
    if (dir.trashed) throw new NotFound('this directory is in the trash');
    return dir;
  }

  /** Runs a check-then-write on one directory's names, one at a time (see the Lock port). */
  private inDirectory<T>(scope: DataScope, dirId: string, task: () => Promise<T>): Promise<T> {
    return this.nameLock.run(`${scope.instance.id}\u0000${dirId}`, task);
  }

  private async checkFree(scope: DataScope, dirId: string, name: string): Promise<void> {
    const entries = this.tree ? await this.tree.named(scope, dirId, name) : await this.all(scope);
    const taken = entries.some((d) => d.dir_id === dirId && d.name === name && !d.trashed);
    if (taken) throw new Conflict(`"${name}" already exists in this directory`);
  }

  private newBody(type: FileBody['type'], name: string, parent: FileDoc): FileBody {
    const at = new Date(this.now()).toISOString();
    return {
      type,
      name,
      dir_id: parent._id,
      path: joinPath(parent.path, name),
      created_at: at,
      updated_at: at,
      tags: [],
      trashed: false,
    };
  }

  private async insert(scope: DataScope, body: FileBody, options: WriteOptions): Promise<FileDoc> {
    const { id, rev } = await this.documents.create(scope, FILES, body, options);
    return { ...body, _id: id, _rev: rev };
  }

  private async save(scope: DataScope, doc: FileDoc, options: WriteOptions): Promise<FileDoc> {
    const next = { ...doc, updated_at: new Date(this.now()).toISOString() };
    const { rev } = await this.documents.put(scope, FILES, doc._id, next, options);
    return { ...next, _rev: rev };
  }

  /** A directory's new path `to` given to everything below it, trashed entries included. */
  private async repath(scope: DataScope, dir: FileDoc, to: string, options: WriteOptions): Promise<void> {
    const from = dir.path;
    for (const doc of await this.everythingBelow(scope, dir)) {
      const path = to + doc.path.slice(from.length);
      await this.documents.put(scope, FILES, doc._id, { ...doc, path }, options);
    }
  }

  /** Every entry whose stored path is below `dir`'s, trashed or not (on the tree index when there is one). */
  private async everythingBelow(scope: DataScope, dir: FileDoc): Promise<FileDoc[]> {
    const candidates = this.tree ? await this.tree.subtree(scope, dir._id, true) : await this.all(scope);
    return candidates.filter((doc) => doc.path.startsWith(`${dir.path}/`));
  }

  /** Every entry of the tree, by a scan: without the tree index (docs/files.md). */
  private async all(scope: DataScope): Promise<FileDoc[]> {
    const { rows } = await this.documents.allDocs(scope, FILES, { includeDocs: true });
    const docs: FileDoc[] = [];
    for (const row of rows) {
      const doc = 'doc' in row ? row.doc : undefined;
      if (doc && isEntry(doc)) docs.push(doc);
    }
    return docs;
  }
}

/** What a file's current content becomes when it is overwritten: its newest version. */
function versionOf(file: FileDoc): FileVersion[] {
  if (file.blob === undefined) return [];
  return [
    {
      blob: file.blob,
      size: file.size ?? 0,
      mime: file.mime ?? 'application/octet-stream',
      ...(file.md5sum === undefined ? {} : { md5sum: file.md5sum }),
      ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
      updated_at: file.updated_at,
    },
  ];
}

function findVersion(file: FileDoc, versionId: string): FileVersion {
  const version = file.versions?.find((v) => v.blob === versionId);
  if (!version) throw new NotFound('no such version of this file');
  return version;
}

/** Every blob an entry names: its content and its versions'. */
function blobsOf(doc: FileBody): string[] {
  return [...(doc.blob === undefined ? [] : [doc.blob]), ...(doc.versions ?? []).map((v) => v.blob)];
}

/** A file document without its content fields and versions, to be given new ones. */
function withoutContent(file: FileDoc): FileDoc {
  const { blob: _b, size: _s, md5sum: _m, sha256: _h, versions: _v, ...rest } = file;
  return rest;
}

/** The fields of a file document that describe its stored content. */
function contentFields(blob: BlobInfo): Pick<FileBody, 'size' | 'md5sum' | 'sha256' | 'blob'> {
  return {
    size: blob.size,
    sha256: blob.sha256,
    blob: blob.blobId,
    ...(blob.md5 === undefined ? {} : { md5sum: blob.md5 }),
  };
}

function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
