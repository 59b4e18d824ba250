/**
 * The one error hierarchy of Nuage. Services throw these; the HTTP layer (http/problem.ts) maps them to
 * problem+json, and protocol edges (CouchDB, DAV) map them to their own bodies. Each kind has a stable
 * machine `code` that clients may rely on; `detail` is for humans.
 */
export abstract class NuageError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Extra members placed in the problem+json body (e.g. `retryAfter`). */
  readonly extra: Record<string, unknown>;
  /**
   * The precondition or postcondition that failed, when WebDAV, CalDAV or CardDAV defines one
   * (`propfind-finite-depth`, `lock-token-submitted`, caldav `valid-calendar-data`…): /dav answers it
   * as a `DAV:error` body (RFC 4918 §16). A plain string names a condition in the `DAV:` namespace.
   */
  readonly davCondition: DavCondition | undefined;
  /**
   * Resources the condition names (`DAV:href` elements of its body): URL paths (`/dav/…`), or plain
   * resource names (not encoded) of members of the collection the request URI is in.
   */
  readonly davHrefs: readonly string[];

  constructor(
    detail: string,
    options?: {
      cause?: unknown;
      extra?: Record<string, unknown>;
      davCondition?: string | DavCondition;
      davHrefs?: readonly string[];
    },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extra = options?.extra ?? {};
    const condition = options?.davCondition;
    this.davCondition = typeof condition === 'string' ? { namespace: 'DAV:', name: condition } : condition;
    this.davHrefs = options?.davHrefs ?? [];
  }
}

export class BadRequest extends NuageError {
  readonly status = 400;
  readonly code: string = 'bad_request';
}

/** A request body that is not the JSON (or form) it claims to be. */
export class InvalidBody extends BadRequest {
  override readonly code = 'invalid_body';
}

/** An app manifest that does not pass validation (apps/manifest.ts). */
export class InvalidManifest extends BadRequest {
  override readonly code = 'invalid_manifest';
}

export class Unauthorized extends NuageError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class Forbidden extends NuageError {
  readonly status = 403;
  readonly code: string = 'forbidden';
}

/** A cookie-authenticated write without a valid CSRF token. */
export class CsrfRejected extends Forbidden {
  override readonly code = 'csrf_rejected';
}

export class NotFound extends NuageError {
  readonly status = 404;
  readonly code: string = 'not_found';
}

/**
 * A thumbnail not made yet for the file's current content (its job is queued or running): a 404, since
 * there is nothing to show now, with its own code and a Retry-After for a client that wants to wait.
 */
export class ThumbnailPending extends NotFound {
  override readonly code = 'thumbnail_pending';
  readonly retryAfterSeconds = 2;
}

export class MethodNotAllowed extends NuageError {
  readonly status = 405;
  readonly code = 'method_not_allowed';
}

export class Conflict extends NuageError {
  readonly status = 409;
  readonly code: string = 'conflict';
}

export class PreconditionFailed extends NuageError {
  readonly status = 412;
  readonly code: string = 'precondition_failed';
}

export class PayloadTooLarge extends NuageError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaType extends NuageError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

/** The resource is locked (WebDAV) and the request did not submit the lock's token. */
export class Locked extends NuageError {
  readonly status = 423;
  readonly code = 'locked';
}

export class TooManyRequests extends NuageError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail, { extra: { retryAfter: retryAfterSeconds } });
  }
}

/** A COPY or MOVE whose Destination lies on another server. */
export class BadGateway extends NuageError {
  readonly status = 502;
  readonly code = 'bad_gateway';
}

export class ServiceUnavailable extends NuageError {
  readonly status = 503;
  readonly code = 'service_unavailable';
}

/** No room left to store what was sent (WebDAV's answer to a full quota, RFC 4331). */
export class InsufficientStorage extends NuageError {
  readonly status = 507;
  readonly code = 'insufficient_storage';
}

/** System error codes for a full disk or file system quota: the file system's, SQLite's and PostgreSQL's. */
const STORAGE_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

/**
 * The InsufficientStorage a port's raw "no space left" error means, or undefined for any other error:
 * a full disk is the user's to fix, so it is answered 507 rather than logged as a bug.
 */
export function storageFull(error: unknown): InsufficientStorage | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STORAGE_FULL.has(code)) return undefined;
  return new InsufficientStorage('the server has no room left to store this', { cause: error });
}

/** A mistake in how the `nuage` command or the server was configured: reported as one line, exit 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The XML namespaces of the WebDAV preconditions a PIM service may report. */
export type DavNamespace = 'DAV:' | 'urn:ietf:params:xml:ns:caldav' | 'urn:ietf:params:xml:ns:carddav';

/** A DAV precondition or postcondition: the element a `DAV:error` body holds. */
export interface DavCondition {
  namespace: DavNamespace;
  name: string;
}

/**
 * A CalDAV/CardDAV precondition a write or query did not meet (`valid-calendar-data`,
 * `no-uid-conflict`, `supported-calendar-component`, `valid-address-data`, …): the DAV edge turns
 * `condition` into the `DAV:error` body; `href` names the conflicting resource when there is one.
 */
export class PimPrecondition extends Forbidden {
  override readonly code: string = 'pim_precondition';
  constructor(
    readonly condition: { namespace: DavNamespace; name: string },
    detail: string,
    readonly href?: string,
  ) {
    super(detail, {
      extra: { precondition: condition.name, namespace: condition.namespace, ...(href ? { href } : {}) },
      davCondition: condition,
      davHrefs: href ? [href] : [],
    });
  }
}

/** A sync token this server did not issue, or one from a future it has not reached (`DAV:valid-sync-token`). */
export class InvalidSyncToken extends PimPrecondition {
  override readonly code = 'invalid_sync_token';
  constructor(detail: string) {
    super({ namespace: 'DAV:', name: 'valid-sync-token' }, detail);
  }
}
