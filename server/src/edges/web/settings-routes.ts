import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import {
  createDevicePassword,
  listDevicePasswords,
  revokeDevicePassword,
} from '../../auth/device-passwords.js';
import { changeOwnerPassword, getOwner } from '../../auth/owner.js';
import { listSessions, revokeOtherSessions, revokeSession } from '../../auth/sessions.js';
import { beginTotp, confirmTotp, disableTotp } from '../../auth/totp.js';
import { NuageError } from '../../errors.js';
import type { Authenticator } from '../../http/authenticate.js';
import { instanceOf, requireSession } from '../../http/context.js';
import type { Html } from '../pages/html.js';
import { field, sendPage, wantsJson } from './forms.js';
import { secretShownOnce, settingsPage, totpEnrolPage } from './settings-pages.js';

/**
 * The owner's settings: password, TOTP, device passwords and sessions. Each action answers JSON to API
 * callers and re-renders the settings page (with the outcome) to a browser form.
 */
export function registerSettingsRoutes(app: App, deps: { authenticator: Authenticator }): void {
  const render = async (
    request: Request,
    reply: Reply,
    extra: { notice?: Html; error?: string } = {},
    status = 200,
  ) => {
    const session = requireSession(request);
    const { instance, accounts } = instanceOf(request);
    const owner = await getOwner(accounts);
    return sendPage(
      reply,
      settingsPage({
        domain: instance.domain,
        owner: owner?.name ?? '',
        csrf: session.session.csrfToken,
        currentSessionId: session.session.id,
        totpEnabled: Boolean(owner?.totp),
        recoveryCodesLeft: owner?.totp?.recoveryCodes.length ?? 0,
        devices: await listDevicePasswords(accounts),
        sessions: await listSessions(accounts),
        ...extra,
      }),
      status,
    );
  };

  /** Runs a form action; a user mistake (4xx) re-renders the page with the message instead of failing. */
  const action =
    (handler: (request: Request, reply: Reply) => Promise<unknown>) =>
    async (request: Request, reply: Reply) => {
      requireSession(request);
      try {
        return await handler(request, reply);
      } catch (error) {
        if (wantsJson(request) || !(error instanceof NuageError) || error.status >= 500) throw error;
        return render(request, reply, { error: error.message }, error.status === 401 ? 400 : error.status);
      }
    };

  app.get('/settings', async (request, reply) => {
    if (request.principal.kind !== 'session') return reply.redirect('/auth/login?redirect=%2Fsettings');
    return render(request, reply);
  });

  app.post(
    '/settings/password',
    action(async (request, reply) => {
      const { accounts } = instanceOf(request);
      const session = requireSession(request);
      await changeOwnerPassword(accounts, field(request, 'current'), field(request, 'next'));
      await revokeOtherSessions(accounts, session.session.id);
      deps.authenticator.invalidate();
      if (wantsJson(request)) return reply.code(204).send();
      return render(request, reply, {
        notice: secretShownOnce('Password changed', 'Your other sessions were logged out.', []),
      });
    }),
  );

  app.post(
    '/settings/totp/enable',
    action(async (request, reply) => {
      const { instance, accounts } = instanceOf(request);
      const enrolment = await beginTotp(accounts, `Nuage ${instance.domain}`);
      if (wantsJson(request)) return reply.send(enrolment);
      return sendPage(
        reply,
        totpEnrolPage({ csrf: requireSession(request).session.csrfToken, ...enrolment }),
      );
    }),
  );

  app.post('/settings/totp/confirm', async (request, reply) => {
    const session = requireSession(request);
    const { accounts } = instanceOf(request);
    let codes: string[];
    try {
      codes = await confirmTotp(accounts, field(request, 'code'));
    } catch (error) {
      const owner = await getOwner(accounts);
      if (wantsJson(request) || !(error instanceof NuageError) || !owner?.pendingTotpSecret) throw error;
      const { instance } = instanceOf(request);
      const uri = `otpauth://totp/${encodeURIComponent(`Nuage ${instance.domain}`)}:${encodeURIComponent(owner.name)}?secret=${owner.pendingTotpSecret}`;
      return sendPage(
        reply,
        totpEnrolPage({
          csrf: session.session.csrfToken,
          secret: owner.pendingTotpSecret,
          uri,
          error: error.message,
        }),
        400,
      );
    }
    if (wantsJson(request)) return reply.send({ recoveryCodes: codes });
    return render(request, reply, {
      notice: secretShownOnce(
        'Two-factor authentication is on',
        'Keep these recovery codes somewhere safe: each one logs you in once if you lose your phone. They are shown only now.',
        codes,
      ),
    });
  });

  app.post(
    '/settings/totp/disable',
    action(async (request, reply) => {
      await disableTotp(instanceOf(request).accounts, field(request, 'password'));
      if (wantsJson(request)) return reply.code(204).send();
      return render(request, reply);
    }),
  );

  app.get('/settings/device-passwords', async (request) => {
    requireSession(request);
    return listDevicePasswords(instanceOf(request).accounts);
  });

  app.post(
    '/settings/device-passwords',
    action(async (request, reply) => {
      const created = await createDevicePassword(instanceOf(request).accounts, field(request, 'name'));
      if (wantsJson(request)) return reply.code(201).send(created);
      return render(request, reply, {
        notice: secretShownOnce(
          `Password for ${created.device.name}`,
          'Type it into the device now: it is shown only once.',
          [created.password],
        ),
      });
    }),
  );

  const revokeDevice = action(async (request, reply) => {
    const { id } = request.params as { id: string };
    await revokeDevicePassword(instanceOf(request).accounts, id);
    deps.authenticator.invalidate();
    if (wantsJson(request) || request.method === 'DELETE') return reply.code(204).send();
    return render(request, reply);
  });
  app.post('/settings/device-passwords/:id/revoke', revokeDevice);
  app.delete('/settings/device-passwords/:id', revokeDevice);

  app.get('/settings/sessions', async (request) => {
    const session = requireSession(request);
    const sessions = await listSessions(instanceOf(request).accounts);
    return sessions.map(({ csrfToken: _, ...s }) => ({ ...s, current: s.id === session.session.id }));
  });

  const revoke = action(async (request, reply) => {
    const { id } = request.params as { id: string };
    await revokeSession(instanceOf(request).accounts, id);
    if (wantsJson(request) || request.method === 'DELETE') return reply.code(204).send();
    return render(request, reply);
  });
  app.post('/settings/sessions/:id/revoke', revoke);
  app.delete('/settings/sessions/:id', revoke);
}
