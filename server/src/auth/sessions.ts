import { NotFound } from '../errors.js';
import type { AccountContext } from './context.js';
import { randomToken, sha256 } from './secrets.js';

/** A logged-in browser. The cookie holds a random secret; the store keeps only its hash. */
export interface Session {
  /** Public identifier used to list and revoke sessions (not the secret). */
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  address: string;
}

const KIND = 'session';
/** Sessions last 30 days from their last use. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Refresh the expiry at most once an hour, so that reads do not turn into writes. */
const TOUCH_EVERY_MS = 3600 * 1000;

export interface CreatedSession {
  session: Session;
  /** The value of the session cookie; shown once, never stored. */
  cookie: string;
}

export async function createSession(
  ctx: AccountContext,
  info: { userAgent: string; address: string },
): Promise<CreatedSession> {
  const cookie = randomToken(32);
  const now = ctx.now();
  const session: Session = {
    id: randomToken(12),
    csrfToken: randomToken(24),
    createdAt: now,
    lastSeenAt: now,
    userAgent: info.userAgent.slice(0, 300),
    address: info.address,
  };
  await ctx.records.put(KIND, sha256(cookie), session, now + SESSION_TTL_MS);
  return { session, cookie };
}

/** The session a cookie stands for, or null when unknown, revoked or expired. Slides the expiry. */
export async function findSession(ctx: AccountContext, cookie: string): Promise<Session | null> {
  const key = sha256(cookie);
  const now = ctx.now();
  const session = await ctx.records.get<Session>(KIND, key, now);
  if (session && now - session.lastSeenAt > TOUCH_EVERY_MS) {
    session.lastSeenAt = now;
    await ctx.records.put(KIND, key, session, now + SESSION_TTL_MS);
  }
  return session;
}

/** Ends the session a cookie stands for (logout). */
export async function endSession(ctx: AccountContext, cookie: string): Promise<void> {
  await ctx.records.delete(KIND, sha256(cookie));
}

export async function listSessions(ctx: AccountContext): Promise<Session[]> {
  const all = await ctx.records.list<Session>(KIND, ctx.now());
  return all.map((r) => r.value).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

/** Revokes a session by its public id. Throws NotFound when there is none. */
export async function revokeSession(ctx: AccountContext, id: string): Promise<void> {
  for (const record of await ctx.records.list<Session>(KIND, ctx.now())) {
    if (record.value.id === id) {
      await ctx.records.delete(KIND, record.id);
      return;
    }
  }
  throw new NotFound('no such session');
}

/** Revokes every session but `keepId` (after a password change, say). */
export async function revokeOtherSessions(ctx: AccountContext, keepId: string | null): Promise<number> {
  let count = 0;
  for (const record of await ctx.records.list<Session>(KIND, ctx.now())) {
    if (record.value.id !== keepId) {
      await ctx.records.delete(KIND, record.id);
      count++;
    }
  }
  return count;
}
