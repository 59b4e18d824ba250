import { createHash } from 'node:crypto';
import type { Reply } from '../../http/framework/reply.js';
import { Html, html } from '../pages/html.js';

/**
 * The public pages of a share link: plain HTML with no JavaScript at all, one stylesheet allowed by its
 * hash, images only from this origin, forms posting only here. No Referer ever leaves these pages: the
 * link's secret is in their URL.
 */
const STYLE = `:root{color-scheme:light dark;--accent:#2563eb;--muted:#667085;--danger:#b42318}
body{margin:0;font:16px/1.5 system-ui,sans-serif}main{max-width:48rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem;margin:0 0 .5rem}nav{margin:0 0 1rem;color:var(--muted)}a{color:var(--accent)}
table{width:100%;border-collapse:collapse}td{padding:.4rem .25rem;border-top:1px solid #8883;vertical-align:middle}
td.size{text-align:right;color:var(--muted);white-space:nowrap}img.thumb{max-width:96px;max-height:72px;display:block}
img.preview{max-width:100%}.muted{color:var(--muted)}.error{color:var(--danger);font-weight:500}
input,button{font:inherit;padding:.5rem .75rem;margin:.25rem 0}.actions{margin:1rem 0}`;

/** Built outside the template, so no formatter can add whitespace the hash in the CSP does not cover. */
const STYLE_ELEMENT = new Html(`<style>${STYLE}</style>`);

const CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers every public share answer carries, pages and downloads alike. */
export function publicHeaders(reply: Reply): Reply {
  return reply
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-robots-tag', 'noindex, nofollow');
}

export function sendSharePage(reply: Reply, title: string, body: Html, status = 200): Reply {
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title} · Nuage</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.value;
  return publicHeaders(reply)
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(page);
}

export interface Crumb {
  name: string;
  href: string;
}

export interface ListedEntry {
  name: string;
  type: 'file' | 'directory';
  size?: number;
  href: string;
  /** For images: where the `<img>` loads it from. */
  preview?: string;
}

/** A shared folder (or a folder inside it): breadcrumbs inside the share only, entries, zip of it all. */
export function folderPage(options: {
  title: string;
  crumbs: Crumb[];
  entries: ListedEntry[];
  zipHref: string;
}): Html {
  const rows = options.entries.map(
    (e) =>
      html`<tr>
        <td>
          ${e.preview ? html`<a href="${e.href}"><img class="thumb" src="${e.preview}" alt="" loading="lazy" /></a>` : e.type === 'directory' ? '📁' : '📄'}
        </td>
        <td><a href="${e.href}">${e.name}${e.type === 'directory' ? '/' : ''}</a></td>
        <td class="size">${e.size === undefined ? '' : formatSize(e.size)}</td>
      </tr>`,
  );
  return html`<h1>${options.title}</h1>
    <nav>${options.crumbs.map((c, i) => html`${i > 0 ? ' / ' : ''}<a href="${c.href}">${c.name}</a>`)}</nav>
    <p class="actions"><a href="${options.zipHref}">Download everything as a zip</a></p>
    ${
      options.entries.length === 0
        ? html`<p class="muted">This folder is empty.</p>`
        : html`<table>
            ${rows}
          </table>`
    }`;
}

/** A shared single file: its name and size, a preview when it is an image, a download link. */
export function filePage(options: { name: string; size: number; href: string; preview?: string }): Html {
  return html`<h1>${options.name}</h1>
    <p class="muted">${formatSize(options.size)}</p>
    ${options.preview ? html`<p><img class="preview" src="${options.preview}" alt="${options.name}" /></p>` : ''}
    <p class="actions"><a href="${options.href}">Download</a></p>`;
}

export function passwordPage(action: string, error?: string): Html {
  return html`<h1>This link is protected</h1>
    <p class="muted">Enter the password you were given with the link.</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    <form method="post" action="${action}">
      <label for="password">Password</label><br />
      <input id="password" name="password" type="password" autocomplete="off" required autofocus />
      <button type="submit">Open</button>
    </form>`;
}

/** A drop box: an upload form and nothing of what the folder already holds. */
export function uploadPage(options: {
  title: string;
  action: string;
  received?: number;
  error?: string;
}): Html {
  return html`<h1>${options.title}</h1>
    <p class="muted">Send files to this folder. You will not see what it holds.</p>
    ${
      options.received === undefined
        ? ''
        : html`<p role="status">
            Received ${options.received} file${options.received === 1 ? '' : 's'}. Thank you.
          </p>`
    }
    ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
    <form method="post" action="${options.action}" enctype="multipart/form-data">
      <input name="file" type="file" multiple required />
      <button type="submit">Send</button>
    </form>`;
}

export function messagePage(title: string, text: string): Html {
  return html`<h1>${title}</h1>
    <p>${text}</p>`;
}

function formatSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
