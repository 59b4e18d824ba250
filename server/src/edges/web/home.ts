import type { AppsService } from '../../apps/apps-service.js';
import type { App } from '../../http/framework/app.js';
import { getOwner } from '../../auth/owner.js';
import { instanceOf } from '../../http/context.js';
import { html } from '../pages/html.js';
import { page } from '../pages/layout.js';
import { sendPage } from './forms.js';

/** The app the owner lands in: launcher, store and settings, on its own origin. */
const HOME_APP = 'home';

/**
 * The instance origin's `/`: onboarding first, then login, then the Home app (through `/apps/home/open`,
 * which takes the owner's session to the Home's origin). The server page below is the fallback when the
 * Home is not installed (not built, say), so the owner always lands somewhere.
 */
export function registerHome(app: App, apps: AppsService): void {
  app.get('/', async (request, reply) => {
    const { instance, accounts, storage } = instanceOf(request);
    const owner = await getOwner(accounts);
    if (!owner) return reply.redirect('/auth/onboarding');
    const p = request.principal;
    if (p.kind !== 'session') return reply.redirect('/auth/login');
    const scope = { instance, storage };
    // Installs the Home on first use; a Home that cannot be installed is logged there, not thrown.
    await apps.ensureDefaults(scope);
    if (await apps.get(scope, HOME_APP)) return reply.redirect(`/apps/${HOME_APP}/open`);
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
