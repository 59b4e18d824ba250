import type { AccountContext } from '../auth/context.js';
import { randomToken, safeEqual, sha256 } from '../auth/secrets.js';
import { SESSION_TTL_MS, type Session } from '../auth/sessions.js';

/**
 * An app lives on its own origin, where the owner's session cookie is never sent. Opening it goes
 * through the instance origin once: `/apps/<slug>/open` (owner's session) mints a one-minute, one-use
 * code, the app origin redeems it for its own cookie, bound to the owner's session, which dies with
 * it. The cookie only lets the page fetch short-lived tokens restricted to the app's permissions.
 */
export interface AppSession {
  id: string;
  slug: string;
  secretHash: string;
  /** The owner session's record key: the app session is valid only while it exists. */
  sessionKey: string;
  sessionId: string;
}

interface OpenCode {
  slug: string;
  sessionKey: string;
  sessionId: string;
  /** Where on the app origin to land. */
  path: string;
}

const CODE_KIND = 'app-code';
const SESSION_KIND = 'app-session';
const CODE_TTL_MS = 60_000;

/** The owner opens an app: a code for the app origin, valid once and for one minute. */
export async function createOpenCode(
  ctx: AccountContext,
  input: { slug: string; sessionCookie: string; session: Session; path: string },
): Promise<string> {
  const code = randomToken(32);
  const value: OpenCode = {
    slug: input.slug,
    sessionKey: sha256(input.sessionCookie),
    sessionId: input.session.id,
    path: input.path,
  };
  await ctx.records.put(CODE_KIND, sha256(code), value, ctx.now() + CODE_TTL_MS);
  return code;
}

/**
 * Redeems a code on the app origin of `slug`: a new app session (its cookie value) and the path to
 * land on, or null when the code is unknown, used, expired, or for another app.
 */
export async function redeemOpenCode(
  ctx: AccountContext,
  slug: string,
  code: string,
): Promise<{ cookie: string; path: string } | null> {
  const key = sha256(code);
  const found = await ctx.records.get<OpenCode>(CODE_KIND, key, ctx.now());
  if (!found) return null;
  await ctx.records.delete(CODE_KIND, key);
  if (found.slug !== slug || !(await ctx.records.get(SESSION_RECORD, found.sessionKey, ctx.now())))
    return null;
  const id = randomToken(12);
  const secret = randomToken(32);
  const session: AppSession = {
    id,
    slug,
    secretHash: sha256(secret),
    sessionKey: found.sessionKey,
    sessionId: found.sessionId,
  };
  await ctx.records.put(SESSION_KIND, id, session, ctx.now() + SESSION_TTL_MS);
  return { cookie: `${id}.${secret}`, path: found.path };
}

/** The owner's session record kind (auth/sessions.ts), keyed by the hash of its cookie. */
const SESSION_RECORD = 'session';

/** The app session an app-origin cookie stands for, while the owner's session it came from lives. */
export async function findAppSession(
  ctx: AccountContext,
  slug: string,
  cookie: string | undefined,
): Promise<AppSession | null> {
  const match = cookie ? /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(cookie) : null;
  if (!match) return null;
  const now = ctx.now();
  const session = await ctx.records.get<AppSession>(SESSION_KIND, match[1]!, now);
  if (!session || session.slug !== slug || !safeEqual(session.secretHash, sha256(match[2]!))) return null;
  if (!(await ctx.records.get(SESSION_RECORD, session.sessionKey, now))) {
    await ctx.records.delete(SESSION_KIND, session.id);
    return null;
  }
  return session;
}

/** Forgets every app session of an app (uninstall). */
export async function endAppSessions(ctx: AccountContext, slug: string): Promise<void> {
  for (const record of await ctx.records.list<AppSession>(SESSION_KIND, ctx.now())) {
    if (record.value.slug === slug) await ctx.records.delete(SESSION_KIND, record.id);
  }
}
