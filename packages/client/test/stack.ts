import { WebSocket } from 'ws';
import { createToken } from '../../../server/src/auth/tokens.js';
import type { PermissionRule } from '../../../server/src/permissions/permissions.js';
import { startStack, type TestStack } from '../../../server/test/support/stack.js';
import { createClient, type ClientOptions, type NuageClient } from '../src/index.js';

export const NOTES: PermissionRule = { type: 'io.nuage.notes', verbs: ['GET', 'POST', 'PUT', 'DELETE'] };
export const FILES: PermissionRule = { type: 'io.nuage.files', verbs: 'ALL' };

/** A real stack in-process, and real tokens of its default instance (`localhost`). */
export interface ClientStack {
  t: TestStack;
  /** The instance origin as an app would be given it. */
  instance: string;
  token(rules: PermissionRule[], ttlMs?: number): Promise<{ token: string; expiresAt: number | null }>;
  /** A client with a token of these rules, speaking real HTTP and real WebSockets (`ws`). */
  client(rules: PermissionRule[], options?: Partial<ClientOptions>): Promise<NuageClient>;
}

export async function startClientStack(): Promise<ClientStack> {
  const t = await startStack();
  const instance = `http://localhost:${t.port}`;
  const record = await t.stack.instances.get('localhost');
  const token: ClientStack['token'] = async (rules, ttlMs) => {
    const accounts = await t.stack.instances.accounts(record);
    const created = await createToken(accounts, { rules, ttlMs: ttlMs ?? null });
    return { token: created.token, expiresAt: created.expiresAt };
  };
  return {
    t,
    instance,
    token,
    async client(rules, options = {}) {
      const grant = await token(rules);
      return createClient({
        instance,
        token: grant.token,
        WebSocket,
        ...options,
      });
    },
  };
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 5_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
