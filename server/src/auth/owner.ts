import { BadRequest, Conflict, Unauthorized } from '../errors.js';
import type { AccountContext } from './context.js';
import { checkNewPassword, hashPassword, verifyPassword } from './passwords.js';

/** The owner of an instance, as stored. Recovery codes are kept as SHA-256 hashes only. */
export interface OwnerRecord {
  name: string;
  passwordHash: string;
  totp: { secret: string; recoveryCodes: string[]; enabledAt: string } | null;
  /** A TOTP secret shown to the owner but not confirmed by a code yet. */
  pendingTotpSecret?: string;
  /** Bumped on every password change, so caches of verified credentials know they are stale. */
  passwordVersion: number;
}

const KIND = 'settings';
const ID = 'owner';

/** Owner names are the login of sync clients (`owner:password` in Basic auth), hence no colon. */
export function checkOwnerName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\p{L}\p{N}._@+-]{1,64}$/u.test(trimmed)) {
    throw new BadRequest('the owner name must be 1 to 64 letters, digits or . _ @ + -');
  }
  return trimmed;
}

export async function getOwner(ctx: AccountContext): Promise<OwnerRecord | null> {
  return ctx.records.get<OwnerRecord>(KIND, ID, ctx.now());
}

export async function saveOwner(ctx: AccountContext, owner: OwnerRecord): Promise<void> {
  await ctx.records.put(KIND, ID, owner);
}

/**
 * Sets the owner of a fresh instance (onboarding, or `nuage instance create`). Throws Conflict when the
 * instance already has one, so a second visitor cannot take over an onboarded instance.
 */
export async function createOwner(ctx: AccountContext, name: string, password: string): Promise<OwnerRecord> {
  const ownerName = checkOwnerName(name);
  checkNewPassword(password);
  if (await getOwner(ctx)) throw new Conflict('this instance already has an owner');
  const owner: OwnerRecord = {
    name: ownerName,
    passwordHash: await hashPassword(password),
    totp: null,
    passwordVersion: 1,
  };
  await saveOwner(ctx, owner);
  return owner;
}

/** Resolves the owner when the password is right; throws Unauthorized otherwise (or if none is set). */
export async function checkOwnerPassword(ctx: AccountContext, password: string): Promise<OwnerRecord> {
  const owner = await getOwner(ctx);
  if (!owner || !(await verifyPassword(password, owner.passwordHash))) {
    throw new Unauthorized('wrong password');
  }
  return owner;
}

export async function changeOwnerPassword(
  ctx: AccountContext,
  current: string,
  next: string,
): Promise<OwnerRecord> {
  const owner = await checkOwnerPassword(ctx, current);
  checkNewPassword(next);
  const updated = {
    ...owner,
    passwordHash: await hashPassword(next),
    passwordVersion: owner.passwordVersion + 1,
  };
  await saveOwner(ctx, updated);
  return updated;
}
