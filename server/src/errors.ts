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

  constructor(detail: string, options?: { cause?: unknown; extra?: Record<string, unknown> }) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extra = options?.extra ?? {};
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

export class ServiceUnavailable extends NuageError {
  readonly status = 503;
  readonly code = 'service_unavailable';
}

/** A mistake in how the `nuage` command or the server was configured: reported as one line, exit 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
