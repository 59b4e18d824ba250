import type { App } from '../../http/framework/app.js';
import { getOwner } from '../../auth/owner.js';
import { instanceOf } from '../../http/context.js';
import { html } from '../pages/html.js';
import { page } from '../pages/layout.js';
import { sendPage } from './forms.js';

/**
 * The home page at `/`: onboarding first, then login, then the owner's home. The Home app (launcher,
 * store) replaces its body when apps arrive; the routing decisions here stay.
 */
export function registerHome(app: App): void {
  app.get('/', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    const owner = await getOwner(accounts);
    if (!owner) return reply.redirect('/auth/onboarding');
    const p = request.principal;
    if (p.kind !== 'session') return reply.redirect('/auth/login');
    return sendPage(
      reply,
      page({
        title: 'Home',
        signedIn: true,
        csrf: p.session.csrfToken,
        body: html`<section class="card">
          <h1>Hello ${owner.name}</h1>
          <p>This is your cloud at <strong>${instance.domain}</strong>.</p>
          <p class="muted">
            Sync clients reach your data with the user name <strong>${owner.name}</strong> and a
            <a href="/settings#devices">device password</a>.
          </p>
        </section>`,
      }),
    );
  });
}
