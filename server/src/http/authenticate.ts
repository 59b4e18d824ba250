import type { Request } from './framework/request.js';
import { findDeviceByPassword } from '../auth/device-passwords.js';
import { getOwner } from '../auth/owner.js';
import { verifyPassword } from '../auth/passwords.js';
import type { LoginRateLimiter } from '../auth/rate-limit.js';
import { sha256 } from '../auth/secrets.js';
import { findSession } from '../auth/sessions.js';
import { findToken } from '../auth/tokens.js';
import { Unauthorized } from '../errors.js';
import { OWNER } from '../permissions/permissions.js';
import type { InstanceContext, Principal } from './context.js';

export const SESSION_COOKIE = 'nuage_session';

/** Paths where sync clients may send HTTP Basic credentials. */
export const BASIC_PATHS = /^\/(dav|data|files)(\/|$)/;
const BASIC_CACHE_MS = 5 * 60_000;

/**
 * Turns the credentials of a request into a Principal. Verified Basic credentials are remembered for a
 * few minutes (by hash), because sync clients send them with every request and scrypt is slow on
 * purpose; the cache is dropped whenever a password or a device changes.
 */
export class Authenticator {
  private readonly basicCache = new Map<string, { device: string | null; at: number }>();

  constructor(
    private readonly limiter: LoginRateLimiter,
    private readonly now: () => number,
  ) {}

  /** Forget every cached credential (after a password change or a device revocation). */
  invalidate(): void {
    this.basicCache.clear();
  }

  async authenticate(request: Request, ctx: InstanceContext): Promise<Principal> {
    const header = request.headers.authorization;
    if (header) {
      const [scheme = '', value = ''] = header.split(/\s+/, 2);
      if (scheme.toLowerCase() === 'bearer') return this.bearer(ctx, value);
      if (scheme.toLowerCase() === 'basic' && BASIC_PATHS.test(request.url)) {
        return this.basic(request, ctx, value);
      }
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await findSession(ctx.accounts, cookie);
      if (session) return { kind: 'session', session, cookie, perms: OWNER };
    }
    return { kind: 'anonymous' };
  }

  /** Checks a bearer token (an `Authorization` header, or the realtime AUTH message); Unauthorized if not valid. */
  async bearer(ctx: InstanceContext, value: string): Promise<Principal> {
    const token = await findToken(ctx.accounts, value);
    if (!token) throw new Unauthorized('invalid or expired token');
    if (token.sessionId !== undefined) {
      const alive = (await ctx.accounts.records.list<{ id: string }>('session', this.now())).some(
        (r) => r.value.id === token.sessionId,
      );
      if (!alive) throw new Unauthorized('the session this token belonged to has ended');
    }
    return { kind: 'token', token, perms: { kind: 'rules', rules: token.rules } };
  }

  private async basic(request: Request, ctx: InstanceContext, value: string): Promise<Principal> {
    const key = `${ctx.instance.id}:${sha256(value)}`;
    const hit = this.basicCache.get(key);
    if (hit && this.now() - hit.at < BASIC_CACHE_MS)
      return { kind: 'basic', device: hit.device, perms: OWNER };

    const address = request.ip;
    this.limiter.check(ctx.instance.id, address);
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? '' : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const owner = await getOwner(ctx.accounts);
    let device: string | null | undefined;
    if (owner && user === owner.name && password.length > 0) {
      const found = await findDeviceByPassword(ctx.accounts, password);
      if (found) device = found.name;
      else if (await verifyPassword(password, owner.passwordHash)) device = null;
    }
    if (device === undefined) {
      this.limiter.fail(ctx.instance.id, address);
      throw new Unauthorized('wrong user name or password');
    }
    this.limiter.succeed(ctx.instance.id, address);
    if (this.basicCache.size > 1000) this.basicCache.clear();
    this.basicCache.set(key, { device, at: this.now() });
    return { kind: 'basic', device, perms: OWNER };
  }
}
