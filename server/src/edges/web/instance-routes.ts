import { readFileSync } from 'node:fs';
import { getOwner } from '../../auth/owner.js';
import type { FilesService } from '../../files/files-service.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import { requireSettings } from './settings-routes.js';

/** This Nuage's version, as its package says (read once: it does not change while it runs). */
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * `GET /settings/instance`: what the owner's settings show about their cloud: its address, owner,
 * creation date, the Nuage version, and the storage its files use against the quota. For the owner's
 * session or a token granted `io.nuage.settings` (the Home).
 */
export function registerInstanceInfo(app: App, deps: { files: FilesService }): void {
  app.get('/settings/instance', async (request) => {
    requireSettings(request, 'GET');
    const ctx = instanceOf(request);
    const owner = await getOwner(ctx.accounts);
    const { used, quota } = await deps.files.usage(ctx);
    return {
      domain: ctx.instance.domain,
      owner: owner?.name ?? null,
      createdAt: ctx.instance.createdAt,
      version: VERSION,
      storage: { used, quota: quota ?? null },
    };
  });
}
