import type { Readable } from 'node:stream';
import type { LoginRateLimiter } from '../../auth/rate-limit.js';
import { BadRequest, NotFound, NuageError, TooManyRequests, Unauthorized } from '../../errors.js';
import type { FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import { checkName } from '../../files/names.js';
import { zipEntries } from '../../files/zip-tree.js';
import { namesFromQuery, namesFromUrlPath, resolveInShare } from '../../files/share-paths.js';
import type { Share, ShareService } from '../../files/shares.js';
import { instanceOf, type InstanceContext } from '../../http/context.js';
import type { App, Handler } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { field } from '../web/forms.js';
import { eachFilePart, multipartBoundary } from './multipart.js';
import { sendFile } from './send-file.js';
import { sendThumbnail } from './thumbnail-routes.js';
import { parseSize } from '../../files/thumbnails/sizes.js';
import type { ThumbnailStore } from '../../files/thumbnails/thumbnail-store.js';
import {
  filePage,
  folderPage,
  messagePage,
  passwordPage,
  publicHeaders,
  sendSharePage,
  uploadPage,
  type ListedEntry,
} from './share-pages.js';
import { archiveName, sendZip } from './zip-routes.js';

const UNLOCK_COOKIE = 'nuage_share';

interface Opened {
  scope: InstanceContext;
  share: Share;
  root: FileDoc;
  /** `/s/<secret>`: every link of the share's pages starts here. */
  base: string;
}

const pathLink = (base: string, names: readonly string[]) =>
  names.length === 0 ? base : `${base}?path=${encodeURIComponent(names.join('/'))}`;
const downloadLink = (base: string, names: readonly string[]) =>
  `${base}/download/${names.map(encodeURIComponent).join('/')}`;
const zipLink = (base: string, names: readonly string[]) =>
  names.length === 0 ? `${base}/zip` : `${base}/zip?path=${encodeURIComponent(names.join('/'))}`;
const wantsHtml = (request: Request) => (request.headers.accept ?? '').includes('text/html');

/**
 * The public side of share links, on the instance origin with no login (docs/files.md): `/s/<secret>`
 * (a page: the listing, a password form or a drop box's upload form), `/download/<path>`, `/zip` and
 * `/upload`. A request here acts for no one: any session or token it carries is set aside, so a link
 * grants exactly what it shares, and the owner's cookie adds nothing.
 */
export function registerSharePublicRoutes(
  app: App,
  files: FilesService,
  shares: ShareService,
  limiter: LoginRateLimiter,
  thumbnails?: ThumbnailStore,
): void {
  app.addHook('onRequest', (request) => {
    if (request.ctx && request.site.kind === 'instance' && request.path.startsWith('/s/')) {
      request.principal = { kind: 'anonymous' };
    }
  });
  app.addHook('onRequest', (request, reply) => {
    // Even a 404 for a mistyped sub-path must not send the secret on through Referer.
    if (request.path.startsWith('/s/')) reply.header('referrer-policy', 'no-referrer');
  });

  /** Opens the link of the request (NotFound for unknown, revoked, expired, trashed); Referer off. */
  const open = async (request: Request, reply: Reply): Promise<Opened> => {
    publicHeaders(reply);
    const scope = instanceOf(request);
    const secret = request.params.secret ?? '';
    const { share, root } = await shares.open(scope, secret);
    return { scope, share, root, base: `/s/${secret}` };
  };

  /** The link opened for reading (an upload-only link reveals nothing: 404) and unlocked. */
  const openForReading = async (request: Request, reply: Reply): Promise<Opened> => {
    const opened = await open(request, reply);
    if (opened.share.mode !== 'read') throw new NotFound('nothing to read through this link');
    await requireUnlocked(request, opened);
    return opened;
  };

  const requireUnlocked = async (request: Request, { scope, share }: Opened): Promise<void> => {
    if (!(await shares.unlocked(scope, share, request.cookies[UNLOCK_COOKIE]))) {
      throw new Unauthorized('this link needs its password: open it in a browser first');
    }
  };

  /** Pages answer errors as pages, in the share's own frame. */
  const page =
    (handler: Handler): Handler =>
    async (request, reply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!(error instanceof NuageError) || reply.sent) throw error;
        publicHeaders(reply);
        if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
        const [title, text] =
          error.status === 404
            ? ['Not found', 'This link does not exist or is no longer shared.']
            : ['This did not work', error.message];
        return sendSharePage(reply, title, messagePage(title, text), error.status);
      }
    };

  app.get(
    '/s/:secret',
    page(async (request, reply) => {
      const opened = await open(request, reply);
      const { scope, share, root, base } = opened;
      const title = share.label || root.name || 'Shared folder';
      if (!(await shares.unlocked(scope, share, request.cookies[UNLOCK_COOKIE]))) {
        return sendSharePage(reply, 'Password', passwordPage(base));
      }
      if (share.mode === 'upload') {
        const received = Number(request.query.received);
        return sendSharePage(
          reply,
          title,
          uploadPage({
            title,
            action: `${base}/upload`,
            ...(Number.isInteger(received) && received >= 0 ? { received } : {}),
          }),
        );
      }
      const names = namesFromQuery(request.query.path);
      const entry = await resolveInShare(files, scope, root, names);
      if (entry.type === 'file') {
        const path = root.type === 'file' ? [root.name] : names;
        return sendSharePage(
          reply,
          entry.name,
          filePage({
            name: entry.name,
            size: entry.size ?? 0,
            href: downloadLink(base, path),
            ...(isImage(entry) ? { preview: `${downloadLink(base, path)}?thumbnail=large` } : {}),
          }),
        );
      }
      const listed: ListedEntry[] = (await files.children(scope, entry._id)).map((child) => {
        const path = [...names, child.name];
        if (child.type === 'directory')
          return { name: child.name, type: 'directory', href: pathLink(base, path) };
        const href = downloadLink(base, path);
        return {
          name: child.name,
          type: 'file',
          size: child.size ?? 0,
          href,
          ...(isImage(child) ? { preview: `${href}?thumbnail=small` } : {}),
        };
      });
      const crumbs = [{ name: root.name || 'Shared folder', href: base }];
      names.forEach((name, i) => crumbs.push({ name, href: pathLink(base, names.slice(0, i + 1)) }));
      return sendSharePage(
        reply,
        title,
        folderPage({ title, crumbs, entries: listed, zipHref: zipLink(base, names) }),
      );
    }),
  );

  app.post(
    '/s/:secret',
    page(async (request, reply) => {
      const opened = await open(request, reply);
      const { scope, share, base } = opened;
      const key = `${scope.instance.id} share ${share.id}`;
      try {
        limiter.check(key, request.ip);
      } catch (error) {
        if (!(error instanceof TooManyRequests)) throw error;
        reply.header('retry-after', String(error.retryAfterSeconds));
        return sendSharePage(
          reply,
          'Password',
          passwordPage(base, 'Too many wrong passwords. Wait a few minutes.'),
          429,
        );
      }
      if (!(await shares.checkPassword(share, field(request, 'password')))) {
        limiter.fail(key, request.ip);
        return sendSharePage(reply, 'Password', passwordPage(base, 'Wrong password.'), 401);
      }
      limiter.succeed(key, request.ip);
      if (share.passwordHash !== undefined) {
        const { value, maxAgeMs } = await shares.unlock(scope, share);
        reply.setCookie(UNLOCK_COOKIE, value, {
          path: base,
          httpOnly: true,
          sameSite: 'lax',
          secure: request.protocol === 'https',
          maxAge: maxAgeMs / 1000,
        });
      }
      return reply.redirect(base, 303);
    }),
  );

  app.get('/s/:secret/download/*', async (request, reply) => {
    const { scope, root } = await openForReading(request, reply);
    // The raw path, split before decoding: `%2f` stays inside one name (and is refused there).
    const rest = /^\/s\/[^/]+\/download\/(.*)$/.exec(request.path)?.[1] ?? '';
    const entry = await resolveInShare(files, scope, root, namesFromUrlPath(rest));
    // Opened directly, a shared HTML or SVG file must not run as a page of this origin.
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    // The pages preview images by their thumbnail; one not made (yet) falls back on the image itself.
    const wanted = request.query.thumbnail;
    if (wanted !== undefined && thumbnails && entry.type === 'file') {
      const cacheControl = 'private, no-cache';
      const sent = await sendThumbnail(request, reply, thumbnails, scope, entry, parseSize(wanted), {
        cacheControl,
      });
      if (sent) return sent;
    }
    return sendFile(request, reply, files, scope, entry);
  });

  app.get('/s/:secret/zip', async (request, reply) => {
    const { scope, root } = await openForReading(request, reply);
    const entry = await resolveInShare(files, scope, root, namesFromQuery(request.query.path));
    return sendZip(request, reply, archiveName([entry]), await zipEntries(files, scope, [entry]));
  });

  /** Streams one body into the drop box under a free name (a clash gets a suffix, never an overwrite). */
  const receive = async (
    { scope, root }: Opened,
    rawName: string,
    body: Readable,
    options: { mime?: string; declaredSize?: number },
  ) => {
    const name = await shares.freeName(scope, root._id, checkName(rawName));
    const file = await files.upload(scope, root._id, name, body, options);
    return { name: file.name, size: file.size ?? 0 };
  };

  const openForUpload = async (request: Request, reply: Reply): Promise<Opened> => {
    const opened = await open(request, reply);
    if (opened.share.mode !== 'upload') throw new NotFound('this link does not take uploads');
    await requireUnlocked(request, opened);
    return opened;
  };

  /** Runs an upload handler; a refusal before the body was read still drains it, so the client hears it. */
  const drained =
    (handler: Handler): Handler =>
    async (request, reply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (!request.raw.readableEnded) request.raw.resume();
        if (!(error instanceof NuageError) || reply.sent || !wantsHtml(request)) throw error;
        publicHeaders(reply);
        const title = error.status === 404 ? 'Not found' : 'The upload did not work';
        return sendSharePage(reply, title, messagePage(title, error.message), error.status);
      }
    };

  app.put(
    '/s/:secret/upload/:name',
    drained(async (request, reply) => {
      const opened = await openForUpload(request, reply);
      const saved = await receive(opened, request.params.name ?? '', request.raw, uploadOptions(request));
      return reply.code(201).send(saved);
    }),
    { rawBody: true },
  );

  app.post(
    '/s/:secret/upload',
    drained(async (request, reply) => {
      const opened = await openForUpload(request, reply);
      const type = request.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith('multipart/')) {
        // A plain body, named in the query: `curl --data-binary @file '…/upload?name=file'`.
        const saved = await receive(opened, request.query.name ?? '', request.raw, uploadOptions(request));
        return reply.code(201).send(saved);
      }
      const received = (
        await eachFilePart(request.raw, multipartBoundary(type), async (part) => {
          if (part.filename === '') {
            // A form sent with no file chosen.
            part.stream.resume();
            return null;
          }
          return receive(opened, part.filename, part.stream, { mime: mimeOf(part.type) });
        })
      ).filter((saved) => saved !== null);
      if (received.length === 0) throw new BadRequest('no file was sent');
      if (wantsHtml(request)) return reply.redirect(`${opened.base}?received=${received.length}`, 303);
      return reply.code(201).send({ received });
    }),
    { rawBody: true },
  );
}

function uploadOptions(request: Request): { mime?: string; declaredSize?: number } {
  const length = request.headers['content-length'];
  const type = request.headers['content-type'];
  return {
    ...(typeof type === 'string' && type !== '' ? { mime: mimeOf(type) } : {}),
    ...(typeof length === 'string' && /^\d+$/.test(length) ? { declaredSize: Number(length) } : {}),
  };
}

function mimeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
}

function isImage(doc: FileDoc): boolean {
  return /^image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml)$/.test(doc.mime ?? '');
}
