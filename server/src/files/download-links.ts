import { randomToken, sha256 } from '../auth/secrets.js';
import type { PermissionSet } from '../permissions/permissions.js';
import type { RecordTable } from '../ports/store/store.js';

/**
 * A one-minute link to download entries without a bearer header: apps on their own origin cannot put
 * their token on a plain link, and holding a large file or zip in the page's memory to save it from a
 * blob does not scale. The link carries 192 random bits and is stored by its hash, with the entries
 * and the permissions of whoever made it, which are checked again when it is used.
 */
export interface DownloadLink {
  ids: string[];
  zip: boolean;
  perms: PermissionSet;
}

const KIND = 'file-download';
export const DOWNLOAD_LINK_TTL_MS = 60_000;

export async function createDownloadLink(
  records: RecordTable,
  now: number,
  link: DownloadLink,
): Promise<{ secret: string; expiresAt: number }> {
  const secret = randomToken(24);
  const expiresAt = now + DOWNLOAD_LINK_TTL_MS;
  await records.put(KIND, sha256(secret), link, expiresAt);
  return { secret, expiresAt };
}

/** The link a secret stands for, or null when unknown or expired (it may be used until it expires). */
export function findDownloadLink(
  records: RecordTable,
  now: number,
  secret: string,
): Promise<DownloadLink | null> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(secret)) return Promise.resolve(null);
  return records.get<DownloadLink>(KIND, sha256(secret), now);
}
