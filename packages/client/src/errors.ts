/**
 * The one error the SDK throws. Answers from the stack are problem+json (RFC 9457) bodies that also
 * carry CouchDB's `error` and `reason`; both are read, so any refused call becomes the same shape.
 * Network failures (no answer at all) have status 0 and code `network_error`.
 */
export class NuageError extends Error {
  override readonly name = 'NuageError';

  constructor(
    /** The HTTP status (0 when the request never got an answer). */
    readonly status: number,
    /** A stable machine code: `conflict`, `forbidden`, `not_found`, `unauthorized`… */
    readonly code: string,
    /** A short human summary. */
    readonly title: string,
    /** What happened to this request, in words. */
    readonly detail: string,
    /** The whole parsed body, for fields beyond the standard ones. */
    readonly body: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(detail || title, options);
  }
}

/** Builds the NuageError an unsuccessful response stands for, reading its body once. */
export async function errorFromResponse(response: Response): Promise<NuageError> {
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status says enough.
  }
  const code = str(body.error) ?? codeFromType(str(body.type)) ?? codeFromStatus(response.status);
  const title = str(body.title) ?? (response.statusText || code.replaceAll('_', ' '));
  const detail = str(body.detail) ?? str(body.reason) ?? title;
  return new NuageError(response.status, code, title, detail, body);
}

/** Wraps a failure to reach the server (DNS, refused connection, CORS) in a NuageError. */
export function networkError(cause: unknown): NuageError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new NuageError(0, 'network_error', 'network error', message, {}, { cause });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `https://nuage.dev/problems/not_found` → `not_found`. */
function codeFromType(type: string | undefined): string | undefined {
  if (!type || type === 'about:blank') return undefined;
  return type.slice(type.lastIndexOf('/') + 1) || undefined;
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  416: 'range_not_satisfiable',
  429: 'too_many_requests',
};

function codeFromStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'server_error' : `http_${status}`);
}

/** The sentence to show a person for any failure: a NuageError's detail, else the error's message. */
export function messageOf(error: unknown): string {
  if (error instanceof NuageError) return error.detail || error.title;
  return error instanceof Error ? error.message : String(error);
}
