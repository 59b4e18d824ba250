import type { DevicePasswordInfo } from '../../auth/device-passwords.js';
import type { Session } from '../../auth/sessions.js';
import { html, type Html } from '../pages/html.js';
import { csrfField, errorLine, page } from '../pages/layout.js';

export interface SettingsView {
  domain: string;
  owner: string;
  csrf: string;
  currentSessionId: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  devices: DevicePasswordInfo[];
  sessions: Session[];
  notice?: Html;
  error?: string;
}

export function settingsPage(v: SettingsView): string {
  const totp = v.totpEnabled
    ? html`<p>
          Two-factor authentication is <strong>on</strong> (${v.recoveryCodesLeft} recovery codes left).
        </p>
        <form method="post" action="/settings/totp/disable">
          ${csrfField(v.csrf)}
          <label for="totp-off-password">Password, to turn it off</label>
          <input
            id="totp-off-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <button class="danger" type="submit">Turn off two-factor authentication</button>
        </form>`
    : html`<p>Two-factor authentication is <strong>off</strong>.</p>
        <form method="post" action="/settings/totp/enable">
          ${csrfField(v.csrf)}<button type="submit">Enable two-factor authentication</button>
        </form>`;
  const devices = v.devices.map(
    (d) =>
      html`<tr>
        <td>${d.name}<br /><span class="muted">created ${d.createdAt.slice(0, 10)}</span></td>
        <td>
          <form
            class="inline"
            method="post"
            action="/settings/device-passwords/${encodeURIComponent(d.id)}/revoke"
          >
            ${csrfField(v.csrf)} <button class="link" type="submit">Revoke</button>
          </form>
        </td>
      </tr>`,
  );
  const sessions = v.sessions.map(
    (s) =>
      html`<tr>
        <td>
          ${s.userAgent || 'unknown browser'}<br /><span class="muted"
            >${s.address}, last seen
            ${new Date(s.lastSeenAt).toISOString().slice(0, 16).replace('T', ' ')}${s.id === v.currentSessionId ? ' (this one)' : ''}</span
          >
        </td>
        <td>
          ${s.id === v.currentSessionId ? '' : html`<form class="inline" method="post" action="/settings/sessions/${encodeURIComponent(s.id)}/revoke">${csrfField(v.csrf)}<button class="link" type="submit">Revoke</button></form>`}
        </td>
      </tr>`,
  );
  return page({
    title: 'Settings',
    csrf: v.csrf,
    signedIn: true,
    body: html`<h1>Settings</h1>
      ${v.notice ?? ''}${errorLine(v.error)}
      <section class="card">
        <h2>Password</h2>
        <form method="post" action="/settings/password">
          ${csrfField(v.csrf)} <label for="current">Current password</label
          ><input id="current" name="current" type="password" autocomplete="current-password" required />
          <label for="next">New password</label
          ><input id="next" name="next" type="password" autocomplete="new-password" minlength="8" required />
          <button type="submit">Change password</button>
        </form>
      </section>
      <section class="card" id="totp">
        <h2>Two-factor authentication</h2>
        ${totp}
      </section>
      <section class="card" id="devices">
        <h2>Device passwords</h2>
        <p class="muted">
          Give each phone or sync tool its own password, with the user name <strong>${v.owner}</strong>.
        </p>
        <table>
          ${devices}
        </table>
        <form method="post" action="/settings/device-passwords">
          ${csrfField(v.csrf)} <label for="device-name">New device</label
          ><input id="device-name" name="name" placeholder="My phone" required maxlength="100" />
          <button type="submit">Create a device password</button>
        </form>
      </section>
      <section class="card" id="sessions">
        <h2>Sessions</h2>
        <table>
          ${sessions}
        </table>
      </section>`,
  });
}

export function totpEnrolPage(v: { csrf: string; secret: string; uri: string; error?: string }): string {
  return page({
    title: 'Two-factor authentication',
    csrf: v.csrf,
    signedIn: true,
    body: html`<div class="card">
      <h1>Enable two-factor authentication</h1>
      <p>
        Add this account to your authenticator app (scan the link or type the key), then enter the code it
        shows.
      </p>
      <p>Key: <span class="secret" id="totp-secret">${v.secret}</span></p>
      <p class="muted"><a href="${v.uri}">${v.uri}</a></p>
      ${errorLine(v.error)}
      <form method="post" action="/settings/totp/confirm">
        ${csrfField(v.csrf)} <label for="code">Code</label
        ><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus />
        <button type="submit">Turn on</button>
      </form>
    </div>`,
  });
}

export function secretShownOnce(title: string, intro: string, secrets: string[]): Html {
  return html`<section class="card" role="status">
    <h2>${title}</h2>
    <p>${intro}</p>
    ${secrets.map((s) => html`<p class="secret">${s}</p>`)}
  </section>`;
}
