/** The shapes the instance's `/apps` and `/settings` JSON endpoints answer (server/src/edges/…). */

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One named permission of a manifest, as the owner is asked to accept it. */
export interface Permission {
  type: string;
  verbs: Verb[] | 'ALL';
  /** Why the app asks, in the developer's words. */
  description: string;
}

export type Permissions = Record<string, Permission>;

export interface InstalledApp {
  slug: string;
  name: string;
  version: string;
  description: string;
  locales: Record<string, { name?: string; description?: string }>;
  /** The app's own origin. */
  url: string;
  /** Instance-origin path that takes the owner's session to the app (top-level navigation only). */
  open: string;
  /** Instance-origin path of the icon, or null. */
  icon: string | null;
  permissions: Permissions;
  services: string[];
  source: string;
  revision: string | null;
  installedAt: string;
  updatedAt: string;
  /** An update fetched but waiting for the owner's consent (it asks for more permissions). */
  pendingUpdate: { staged: string; version: string; permissions: Permissions } | null;
}

/** An app fetched and checked by `POST /apps/_stage`, installed only once the owner accepts. */
export interface StagedApp {
  staged: string;
  slug: string;
  name: string;
  version: string;
  description: string;
  permissions: Permissions;
  source: string;
  revision: string | null;
  installed: { version: string; permissions: Permissions } | null;
  asksForMore: boolean;
}

export interface CatalogEntry {
  slug: string;
  name: string;
  description: string;
  catalog: string;
  installed: boolean;
}

export interface UpdateResult {
  applied: boolean;
  app: InstalledApp;
  staged: StagedApp | null;
}

export interface DevicePassword {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  address: string;
  /** The session this page was opened from. */
  current: boolean;
}

/** `GET /settings/instance`. */
export interface InstanceInfo {
  domain: string;
  owner: string | null;
  createdAt: string;
  version: string;
  storage: { used: number; quota: number | null };
}
