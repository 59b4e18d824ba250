import { html } from '../pages/html.js';
import { errorLine, page } from '../pages/layout.js';

export function onboardingPage(domain: string, error?: string, name = ''): string {
  return page({
    title: 'Welcome',
    body: html`<div class="card">
      <h1>Welcome to your Nuage</h1>
      <p class="muted">
        This cloud, <strong>${domain}</strong>, is yours. Choose the name and password you will log in with.
        Phones and sync tools use the same name.
      </p>
      ${errorLine(error)}
      <form method="post" action="/auth/onboarding">
        <label for="name">Your name</label>
        <input id="name" name="name" autocomplete="username" required value="${name}" pattern="[^:\\s]+" />
        <label for="password">Password (8 characters or more)</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="8"
          required
        />
        <label for="confirm">Password again</label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autocomplete="new-password"
          minlength="8"
          required
        />
        <button type="submit">Create my cloud</button>
      </form>
    </div>`,
  });
}

export function loginPage(domain: string, redirect: string, error?: string): string {
  return page({
    title: 'Log in',
    body: html`<div class="card">
      <h1>Log in to ${domain}</h1>
      ${errorLine(error)}
      <form method="post" action="/auth/login">
        <input type="hidden" name="redirect" value="${redirect}" />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <button type="submit">Log in</button>
      </form>
    </div>`,
  });
}

export function secondFactorPage(challenge: string, redirect: string, error?: string): string {
  return page({
    title: 'Two-factor authentication',
    body: html`<div class="card">
      <h1>Two-factor authentication</h1>
      <p class="muted">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
      ${errorLine(error)}
      <form method="post" action="/auth/login/totp">
        <input type="hidden" name="challenge" value="${challenge}" />
        <input type="hidden" name="redirect" value="${redirect}" />
        <label for="code">Code</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus />
        <button type="submit">Verify</button>
      </form>
    </div>`,
  });
}
