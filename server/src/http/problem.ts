import { NuageError, storageFull } from '../errors.js';
import { davErrorBody, resolveErrorHrefs } from '../edges/dav/error-body.js';
import { escapeHtml } from '../edges/pages/html.js';
import { BASIC_PATHS } from './authenticate.js';
import type { Reply } from './framework/reply.js';
import type { Request } from './framework/request.js';

/**
 * The problem+json body (RFC 9457) for an error of ours. It also carries CouchDB's `error` and `reason`
 * members, so replication clients (PouchDB reads those) and problem-aware clients read the same body.
 */
export function problemBody(error: NuageError, instance: string): Record<string, unknown> {
  return {
    type: `https://nuage.dev/problems/${error.code}`,
    title: error.code.replaceAll('_', ' '),
    status: error.status,
    detail: error.message,
    instance,
    error: error.code,
    reason: error.message,
    ...error.extra,
  };
}

/**
 * The one place errors become HTTP answers. Ours keep their status and code; anything else is a bug:
 * logged once with the request id, answered 500 without a stack.
 */
export function handleError(thrown: unknown, request: Request, reply: Reply): void {
  const rawError = thrown instanceof NuageError ? thrown : (storageFull(thrown) ?? thrown);
  // The one who runs the server must hear of a full disk, not only the client.
  if (rawError !== thrown)
    request.log.warn({ err: thrown, url: request.url }, 'no space left to store a request');
  // Refused before or while its body was read (a clash, a permission, a full disk, a quota passed while
  // streaming): the rest is drained, so a client still sending hears the answer, and the connection ends
  // with it, since a body cut short by the refusal would otherwise be read as the next request.
  if (!request.raw.complete) {
    if (!request.raw.readableEnded) request.raw.resume();
    if (!reply.raw.headersSent) reply.header('connection', 'close');
  }
  if (!(rawError instanceof NuageError)) {
    request.log.error({ err: rawError, method: request.method, url: request.url }, 'unexpected error');
    reply
      .code(500)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'internal server error',
        status: 500,
        detail: `something went wrong; the server log has the details under request id ${request.id}`,
        instance: request.path,
      });
    return;
  }
  const error = rawError;
  if (error.status === 401 && wantsBasic(request)) {
    reply.header('www-authenticate', 'Basic realm="Nuage", charset="UTF-8"');
  }
  if ('retryAfterSeconds' in error) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.davCondition !== undefined && request.path.startsWith('/dav/')) {
    // WebDAV defines its own error body for the preconditions it names (RFC 4918 §16), and CalDAV and
    // CardDAV use it for theirs (PimPrecondition carries its namespace and the conflicting resource).
    const hrefs = resolveErrorHrefs(error.davHrefs, request.path);
    reply
      .code(error.status)
      .type('application/xml; charset=utf-8')
      .send(davErrorBody(error.davCondition, hrefs));
    return;
  }
  if (prefersHtml(request)) {
    reply
      .code(error.status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><meta charset="utf-8"><title>${error.status}</title>` +
          `<body style="font-family:system-ui;margin:3rem"><h1>${error.status}</h1><p>${escapeHtml(error.message)}</p>`,
      );
    return;
  }
  reply.code(error.status).type('application/problem+json').send(problemBody(error, request.path));
}

/** Sync clients (DAV, CouchDB replication) understand a Basic challenge; browsers get a login page instead. */
function wantsBasic(request: Request): boolean {
  return BASIC_PATHS.test(request.path) || request.path.startsWith('/.well-known/');
}

/** A browser navigating to a page (not an API call) gets HTML errors. */
export function prefersHtml(request: Request): boolean {
  const accept = request.headers.accept ?? '';
  return (
    request.method === 'GET' &&
    accept.includes('text/html') &&
    !/^\/(data|dav|files|api)\//.test(request.path)
  );
}
