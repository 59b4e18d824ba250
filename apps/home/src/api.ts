import { NuageError, type NuageClient } from '@nuage/client';
import type {
  CatalogEntry,
  DevicePassword,
  InstalledApp,
  SessionInfo,
  StagedApp,
  UpdateResult,
} from './types.js';

/**
 * The instance endpoints the Home uses beyond documents: `/apps` and the JSON settings. `@nuage/client`
 * wraps only documents, files, search and realtime, so these calls go through `fetch` with the
 * client's token (kept fresh by the client) and turn refusals into the same NuageError.
 */
export class HomeApi {
  constructor(private readonly client: NuageClient) {}

  get instance(): string {
    return this.client.instance;
  }

  /** An instance-origin path as an absolute URL (icons, `/open` links, the settings page). */
  url(path: string): string {
    return new URL(path, this.client.instance).toString();
  }

  apps(): Promise<InstalledApp[]> {
    return this.call<{ apps: InstalledApp[] }>('GET', '/apps').then((r) => r.apps);
  }

  catalog(): Promise<CatalogEntry[]> {
    return this.call<{ apps: CatalogEntry[] }>('GET', '/apps/_catalog').then((r) => r.apps);
  }

  /** Fetches and checks an app without installing it: the answer lists what it asks for. */
  stage(source: string): Promise<StagedApp> {
    return this.call('POST', '/apps/_stage', { source });
  }

  /** The owner's consent to a staged app (a first install or an update). */
  install(staged: string): Promise<InstalledApp> {
    return this.call('POST', '/apps/_install', { staged });
  }

  update(slug: string): Promise<UpdateResult> {
    return this.call('POST', `/apps/${encodeURIComponent(slug)}/_update`);
  }

  uninstall(slug: string): Promise<void> {
    return this.call('DELETE', `/apps/${encodeURIComponent(slug)}`);
  }

  devicePasswords(): Promise<DevicePassword[]> {
    return this.call('GET', '/settings/device-passwords');
  }

  /** The password is in the answer once, and never again. */
  createDevicePassword(name: string): Promise<{ device: DevicePassword; password: string }> {
    return this.call('POST', '/settings/device-passwords', { name });
  }

  revokeDevicePassword(id: string): Promise<void> {
    return this.call('DELETE', `/settings/device-passwords/${encodeURIComponent(id)}`);
  }

  sessions(): Promise<SessionInfo[]> {
    return this.call('GET', '/settings/sessions');
  }

  revokeSession(id: string): Promise<void> {
    return this.call('DELETE', `/settings/sessions/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, json?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${await this.client.token()}`,
    };
    const init: RequestInit = { method, headers };
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(json);
    }
    let response: Response;
    try {
      response = await fetch(this.url(path), init);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new NuageError(0, 'network_error', 'network error', message, {}, { cause: error });
    }
    if (!response.ok) throw await problemOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

/** A problem+json answer as a NuageError whose `detail` is the sentence to show the owner. */
async function problemOf(response: Response): Promise<NuageError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = (await response.json()) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status line says enough.
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const title = text(body.title) ?? response.statusText ?? `HTTP ${response.status}`;
  const code = text(body.error) ?? `http_${response.status}`;
  return new NuageError(response.status, code, title, text(body.detail) ?? title, body);
}

/** The sentence to show for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof NuageError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
