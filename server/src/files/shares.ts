import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { randomToken, sha256 } from '../auth/secrets.js';
import type { DataScope } from '../data/format.js';
import { BadRequest, NotFound } from '../errors.js';
import type { RecordTable } from '../ports/store/store.js';
import type { FileDoc } from './file-doc.js';
import type { FilesService } from './files-service.js';

/** `read`: list, preview and download. `upload`: a drop box that takes files and shows nothing. */
export type ShareMode = 'read' | 'upload';

/** A share link as stored, under the SHA-256 of its secret (the record's id, and the share's id). */
export interface ShareRecord {
  fileId: string;
  mode: ShareMode;
  /** scrypt hash (auth/passwords.ts) when the link needs a password. */
  passwordHash?: string;
  label: string;
  createdAt: string;
  /** ISO time; the record itself expires then, so an expired link is as unknown as a revoked one. */
  expiresAt: string | null;
}

export interface Share extends ShareRecord {
  id: string;
}

export interface NewShare {
  mode: ShareMode;
  password?: string;
  label?: string;
  /** Milliseconds since the epoch; must lie in the future. */
  expiresAt?: number;
}

/** What a share needs of an instance: its documents (the tree) and its records (the links). */
export type ShareScope = DataScope & { readonly storage: { readonly records: RecordTable } };

const KIND = 'file-share';
const UNLOCK_KIND = 'file-share-unlock';
/** 192 random bits: the link is the credential. */
const SECRET_BYTES = 24;
const SECRET = /^[A-Za-z0-9_-]{32}$/;
/** How long a correct password opens a link for, in one browser. */
const UNLOCK_TTL_MS = 60 * 60_000;

/**
 * Share links: a file or directory reachable by an unguessable link, optionally with a password and an
 * expiry, read-only or upload-only, revocable. Links live in the instance's records (never replicated,
 * never searchable) keyed by the SHA-256 of their secret, so the database alone yields no working link.
 * Which entries a link reaches is decided by share-paths.ts; this module checks no HTTP permission.
 */
export class ShareService {
  constructor(
    private readonly files: FilesService,
    private readonly now: () => number,
  ) {}

  /** A new link to `entry`; the secret is returned once and never stored. */
  async create(
    scope: ShareScope,
    entry: FileDoc,
    input: NewShare,
  ): Promise<{ share: Share; secret: string }> {
    if (input.mode === 'upload' && entry.type !== 'directory') {
      throw new BadRequest('only a folder can take uploads');
    }
    if (input.expiresAt !== undefined && input.expiresAt <= this.now()) {
      throw new BadRequest('expiresAt must lie in the future');
    }
    const secret = randomToken(SECRET_BYTES);
    const record: ShareRecord = {
      fileId: entry._id,
      mode: input.mode,
      label: input.label ?? '',
      createdAt: new Date(this.now()).toISOString(),
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
      ...(input.password === undefined ? {} : { passwordHash: await hashPassword(input.password) }),
    };
    const id = sha256(secret);
    await scope.storage.records.put(KIND, id, record, input.expiresAt ?? null);
    return { share: { id, ...record }, secret };
  }

  /** The live (not expired, not revoked) links to one entry, oldest first. */
  async list(scope: ShareScope, fileId: string): Promise<Share[]> {
    const records = await scope.storage.records.list<ShareRecord>(KIND, this.now());
    return records
      .filter((r) => r.value.fileId === fileId)
      .map((r) => ({ id: r.id, ...r.value }))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  /** One link by id (for revoking); null when unknown or expired. */
  async get(scope: ShareScope, id: string): Promise<Share | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const record = await scope.storage.records.get<ShareRecord>(KIND, id, this.now());
    return record ? { id, ...record } : null;
  }

  /** Revokes a link: from now on it answers as if it never existed. NotFound when unknown. */
  async revoke(scope: ShareScope, id: string): Promise<void> {
    if (!(await this.get(scope, id))) throw new NotFound('no such share');
    await scope.storage.records.delete(KIND, id);
  }

  /**
   * The share a link secret opens, with its entry: NotFound — one answer for all — when the secret is
   * malformed or unknown, the link revoked or expired, or its entry deleted or in the trash (itself or a
   * directory above it).
   */
  async open(scope: ShareScope, secret: string): Promise<{ share: Share; root: FileDoc }> {
    const gone = () => new NotFound('this link does not exist or is no longer shared');
    if (!SECRET.test(secret)) throw gone();
    const share = await this.get(scope, sha256(secret));
    if (!share) throw gone();
    let root: FileDoc;
    try {
      root = await this.files.get(scope, share.fileId);
    } catch (error) {
      if (error instanceof NotFound) throw gone();
      throw error;
    }
    if (!(await this.files.reachable(scope, root))) throw gone();
    return { share, root };
  }

  /** Whether `password` opens a protected link (always true for one without a password). */
  async checkPassword(share: Share, password: string): Promise<boolean> {
    if (share.passwordHash === undefined) return true;
    return verifyPassword(password, share.passwordHash);
  }

  /** After a correct password: a random value for a short-lived cookie that opens this link only. */
  async unlock(scope: ShareScope, share: Share): Promise<{ value: string; maxAgeMs: number }> {
    const value = randomToken(24);
    const expires = Math.min(
      this.now() + UNLOCK_TTL_MS,
      share.expiresAt === null ? Infinity : Date.parse(share.expiresAt),
    );
    await scope.storage.records.put(UNLOCK_KIND, sha256(value), { share: share.id }, expires);
    return { value, maxAgeMs: expires - this.now() };
  }

  /** Whether a request may use the link: no password, or a cookie value from `unlock` for this link. */
  async unlocked(scope: ShareScope, share: Share, cookie: string | undefined): Promise<boolean> {
    if (share.passwordHash === undefined) return true;
    if (!cookie) return false;
    const record = await scope.storage.records.get<{ share: string }>(
      UNLOCK_KIND,
      sha256(cookie),
      this.now(),
    );
    return record?.share === share.id;
  }

  /**
   * A free name in `dirId` for an upload through a drop box: `name` itself, else `name (1).ext`,
   * `name (2).ext`… — a drop box never overwrites, and never tells what it already holds.
   */
  async freeName(scope: ShareScope, dirId: string, name: string): Promise<string> {
    const taken = new Set((await this.files.children(scope, dirId)).map((c) => c.name));
    if (!taken.has(name)) return name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) {
      const candidate = `${stem} (${n})${ext}`;
      if (!taken.has(candidate)) return candidate;
    }
  }
}

/** The owner's view of a link (never the password hash; the URL only right after creation). */
export function presentShare(share: Share): Record<string, unknown> {
  const { passwordHash, ...rest } = share;
  return { ...rest, hasPassword: passwordHash !== undefined };
}
