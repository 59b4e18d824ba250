import { Html, html } from './html.js';

const STYLE = `
:root{color-scheme:light dark;--accent:#2563eb;--bg:#f6f7fb;--card:#fff;--text:#1f2430;--muted:#667085;--danger:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#14161c;--card:#1e2129;--text:#e6e8ef;--muted:#9aa3b5}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
header{display:flex;align-items:center;justify-content:space-between;padding:.75rem 1.25rem;background:var(--card);box-shadow:0 1px 2px #0002}
header a{color:inherit;text-decoration:none;font-weight:600}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
.card{background:var(--card);border-radius:12px;padding:1.5rem;margin-bottom:1.25rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.15rem;margin:0 0 .75rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:500}
input{width:100%;padding:.6rem .75rem;border:1px solid #8884;border-radius:8px;font:inherit;background:transparent;color:inherit}
button{margin-top:1rem;padding:.6rem 1.1rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;cursor:pointer}
button.link{background:none;color:var(--accent);padding:0;margin:0}
button.danger{background:var(--danger)}
.error{color:var(--danger);font-weight:500}.muted{color:var(--muted)}
.secret{font-family:ui-monospace,monospace;font-size:1.1rem;word-break:break-all;background:#8882;padding:.5rem;border-radius:6px}
table{width:100%;border-collapse:collapse}td{padding:.4rem .25rem;border-top:1px solid #8883;vertical-align:top}
form.inline{display:inline}
`;

/** The page frame shared by onboarding, login, home and settings. */
export function page(options: { title: string; body: Html; csrf?: string; signedIn?: boolean }): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Nuage</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <a href="/">☁ Nuage</a>${
            options.signedIn
              ? html`<nav>
                  <a href="/settings">Settings</a> &nbsp;
                  <form class="inline" method="post" action="/auth/logout">
                    <input type="hidden" name="_csrf" value="${options.csrf ?? ''}" /><button
                      class="link"
                      type="submit"
                    >
                      Log out
                    </button>
                  </form>
                </nav>`
              : ''
          }
        </header>
        <main>${options.body}</main>
      </body>
    </html>`.value;
}

/** Hidden CSRF field for forms posted by a logged-in owner. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

export function errorLine(message: string | undefined): Html {
  return message ? html`<p class="error" role="alert">${message}</p>` : html``;
}
