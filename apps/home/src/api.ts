import type { NuageClient } from '@nuage/client';
import type {
  CatalogEntry,
  DevicePassword,
  InstanceInfo,
  InstalledApp,
  SessionInfo,
  StagedApp,
  UpdateResult,
} from './types.js';

/** The instance endpoints the Home uses beyond documents: `/apps` and the JSON settings. */
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

  instanceInfo(): Promise<InstanceInfo> {
    return this.call('GET', '/settings/instance');
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

  private call<T>(method: string, path: string, json?: unknown): Promise<T> {
    return this.client.json<T>(path, { method, ...(json === undefined ? {} : { json }) });
  }
}

export { messageOf } from '@nuage/client';
