import { BadRequest, NotFound } from '../errors.js';
import type { AccountContext } from './context.js';
import { randomToken, sha256 } from './secrets.js';

/** A password for one phone or sync tool, revocable on its own. Only its hash is stored. */
export interface DevicePassword {
  id: string;
  name: string;
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export type DevicePasswordInfo = Omit<DevicePassword, 'hash'>;

const KIND = 'device-password';

const info = ({ hash: _, ...rest }: DevicePassword): DevicePasswordInfo => rest;

/** Creates a device password and returns it in clear, once: 24 random characters (144 bits). */
export async function createDevicePassword(
  ctx: AccountContext,
  name: string,
): Promise<{ device: DevicePasswordInfo; password: string }> {
  const label = name.trim();
  if (label.length === 0 || label.length > 100)
    throw new BadRequest('a device password needs a name (1-100 characters)');
  const password = randomToken(18);
  const device: DevicePassword = {
    id: randomToken(9),
    name: label,
    hash: sha256(password),
    createdAt: new Date(ctx.now()).toISOString(),
    lastUsedAt: null,
  };
  await ctx.records.put(KIND, device.id, device);
  return { device: info(device), password };
}

export async function listDevicePasswords(ctx: AccountContext): Promise<DevicePasswordInfo[]> {
  return (await ctx.records.list<DevicePassword>(KIND, ctx.now())).map((r) => info(r.value));
}

/** Revokes by id, or by name when no id matches (the CLI lets people type the label). */
export async function revokeDevicePassword(
  ctx: AccountContext,
  idOrName: string,
): Promise<DevicePasswordInfo> {
  const all = await ctx.records.list<DevicePassword>(KIND, ctx.now());
  const match = all.find((r) => r.id === idOrName) ?? all.find((r) => r.value.name === idOrName);
  if (!match) throw new NotFound(`no device password "${idOrName}"`);
  await ctx.records.delete(KIND, match.id);
  return info(match.value);
}

/** The device a password belongs to, or null. Compares hashes, so timing reveals nothing useful. */
export async function findDeviceByPassword(
  ctx: AccountContext,
  password: string,
): Promise<DevicePasswordInfo | null> {
  const hash = sha256(password);
  const all = await ctx.records.list<DevicePassword>(KIND, ctx.now());
  const match = all.find((r) => r.value.hash === hash);
  return match ? info(match.value) : null;
}
