import { Secret, TOTP } from 'otpauth';
import { BadRequest, Conflict, Unauthorized } from '../errors.js';
import type { AccountContext } from './context.js';
import { getOwner, saveOwner, checkOwnerPassword } from './owner.js';
import { randomBytes } from 'node:crypto';
import { sha256 } from './secrets.js';

/** RFC 6238 with the parameters every authenticator app understands: SHA-1, 6 digits, 30 s. */
function totpFor(secret: string, label: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

const RECOVERY_CODES = 10;

export interface TotpEnrolment {
  secret: string;
  /** `otpauth://totp/…` URI for a QR code or a manual entry. */
  uri: string;
}

/** Starts enrolment: a new secret is kept pending until a code from it is confirmed. */
export async function beginTotp(ctx: AccountContext, issuer: string): Promise<TotpEnrolment> {
  const owner = await getOwner(ctx);
  if (!owner) throw new Conflict('this instance has no owner yet');
  if (owner.totp) throw new Conflict('two-factor authentication is already enabled');
  const secret = new Secret({ size: 20 }).base32;
  await saveOwner(ctx, { ...owner, pendingTotpSecret: secret });
  return { secret, uri: totpFor(secret, owner.name, issuer).toString() };
}

/** Current step of a 30-second TOTP counter: codes are valid for the step before, this one and the next. */
function checkCode(secret: string, code: string, now: number): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totpFor(secret, 'x', 'x').validate({ token, timestamp: now, window: 1 }) !== null;
}

/**
 * Confirms enrolment with a code from the authenticator and returns the recovery codes, shown once.
 * Throws BadRequest for a wrong code, so the owner can try again.
 */
export async function confirmTotp(ctx: AccountContext, code: string): Promise<string[]> {
  const owner = await getOwner(ctx);
  const secret = owner?.pendingTotpSecret;
  if (!owner || !secret) throw new Conflict('start enabling two-factor authentication first');
  if (!checkCode(secret, code, ctx.now())) throw new BadRequest('that code is not the current one');
  // Hex, so a code copied on paper has no ambiguous characters; 40 bits each, spent on use.
  const codes = Array.from({ length: RECOVERY_CODES }, () => randomBytes(5).toString('hex'));
  const { pendingTotpSecret: _, ...rest } = owner;
  await saveOwner(ctx, {
    ...rest,
    totp: { secret, recoveryCodes: codes.map(sha256), enabledAt: new Date(ctx.now()).toISOString() },
  });
  return codes;
}

/** Turns two-factor off; asks for the password again so a stolen session cannot do it alone. */
export async function disableTotp(ctx: AccountContext, password: string): Promise<void> {
  const owner = await checkOwnerPassword(ctx, password);
  const { pendingTotpSecret: _, ...rest } = owner;
  await saveOwner(ctx, { ...rest, totp: null });
}

/**
 * Checks a second factor: a current TOTP code, or an unused recovery code (which is then spent).
 * Throws Unauthorized otherwise.
 */
export async function verifySecondFactor(ctx: AccountContext, code: string): Promise<void> {
  const owner = await getOwner(ctx);
  if (!owner?.totp) throw new Unauthorized('two-factor authentication is not enabled');
  if (checkCode(owner.totp.secret, code, ctx.now())) return;
  const hashed = sha256(code.trim().toLowerCase());
  const remaining = owner.totp.recoveryCodes.filter((c) => c !== hashed);
  if (remaining.length === owner.totp.recoveryCodes.length) throw new Unauthorized('wrong code');
  await saveOwner(ctx, { ...owner, totp: { ...owner.totp, recoveryCodes: remaining } });
}

/** For tests and the browser test: the code an authenticator would show now. */
export function currentCode(secret: string, now: number): string {
  return totpFor(secret, 'x', 'x').generate({ timestamp: now });
}
