import { BadRequest, NotFound } from '../errors.js';
import type { PermissionRule } from '../permissions/permissions.js';
import type { AccountContext } from './context.js';
import { randomToken, sha256 } from './secrets.js';

/**
 * A bearer token carries one permission set. The token string is `nuage_<id>_<secret>`: the id finds
 * the record, the secret is compared by hash, so the database alone cannot be used to forge requests.
 */
export interface TokenRecord {
  id: string;
  secretHash: string;
  rules: PermissionRule[];
  label: string;
  createdAt: string;
  /** Set for tokens bound to a browser session (apps): they die with it. */
  sessionId?: string;
  /** The installed app the token was made for: uninstalling the app revokes it. */
  app?: string;
}

const KIND = 'token';
const FORM = /^nuage_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

export async function createToken(
  ctx: AccountContext,
  options: {
    rules: PermissionRule[];
    ttlMs?: number | null;
    label?: string;
    sessionId?: string;
    app?: string;
  },
): Promise<{ token: string; record: TokenRecord; expiresAt: number | null }> {
  if (options.rules.length === 0) throw new BadRequest('a token needs at least one scope');
  const id = randomToken(9);
  const secret = randomToken(32);
  const record: TokenRecord = {
    id,
    secretHash: sha256(secret),
    rules: options.rules,
    label: options.label ?? 'token',
    createdAt: new Date(ctx.now()).toISOString(),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
    ...(options.app ? { app: options.app } : {}),
  };
  const expiresAt = options.ttlMs ? ctx.now() + options.ttlMs : null;
  await ctx.records.put(KIND, id, record, expiresAt);
  return { token: `nuage_${id}_${secret}`, record, expiresAt };
}

/** The record a bearer token stands for, or null when malformed, unknown, revoked or expired. */
export async function findToken(ctx: AccountContext, token: string): Promise<TokenRecord | null> {
  const match = FORM.exec(token);
  if (!match) return null;
  const record = await ctx.records.get<TokenRecord>(KIND, match[1]!, ctx.now());
  return record && record.secretHash === sha256(match[2]!) ? record : null;
}

export async function revokeToken(ctx: AccountContext, id: string): Promise<void> {
  if (!(await ctx.records.delete(KIND, id))) throw new NotFound('no such token');
}

/** Revokes every token made for an app (when it is uninstalled or its permissions change). */
export async function revokeAppTokens(ctx: AccountContext, app: string): Promise<number> {
  let count = 0;
  for (const record of await ctx.records.list<TokenRecord>(KIND, ctx.now())) {
    if (record.value.app === app && (await ctx.records.delete(KIND, record.id))) count++;
  }
  return count;
}

/** Parses a duration such as `90s`, `15m`, `1h`, `7d` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!match) throw new BadRequest(`invalid duration "${text}": use a number followed by s, m, h or d`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new BadRequest('a duration must be positive');
  return ms;
}
