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
import { instanceOf, requirePermission, requireSession } from '../../http/context.js';
import type { Verb } from '../../permissions/permissions.js';
import type { Html } from '../pages/html.js';
import { field, sendPage, wantsJson } from './forms.js';
import { secretShownOnce, settingsPage, totpEnrolPage } from './settings-pages.js';

/** The pseudo-doctype that grants a token (the Home's) the JSON device-password and session endpoints. */
export const SETTINGS_DOCTYPE = 'io.nuage.settings';

/**
 * Lets the owner's session, or a token granted `io.nuage.settings` for `verb`, manage device passwords
 * and sessions. Password and two-factor changes stay behind the session on purpose: an app token must
 * not be able to lock the owner out. Basic credentials (a device) are refused, as before.
 */
export function requireSettings(request: Request, verb: Verb): void {
  if (request.principal.kind === 'token') requirePermission(request, verb, SETTINGS_DOCTYPE);
  else requireSession(request);
}

/** Whether to answer JSON: API callers, and always tokens, which have no settings page to go back to. */
function answersJson(request: Request): boolean {
  return request.principal.kind !== 'session' || wantsJson(request);
}

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
    (handler: (request: Request, reply: Reply) => Promise<unknown>, tokenVerb?: Verb) =>
    async (request: Request, reply: Reply) => {
      if (tokenVerb) requireSettings(request, tokenVerb);
      else requireSession(request);
      try {
        return await handler(request, reply);
      } catch (error) {
        if (answersJson(request) || !(error instanceof NuageError) || error.status >= 500) throw error;
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
    requireSettings(request, 'GET');
    return listDevicePasswords(instanceOf(request).accounts);
  });

  app.post(
    '/settings/device-passwords',
    action(async (request, reply) => {
      const created = await createDevicePassword(instanceOf(request).accounts, field(request, 'name'));
      if (answersJson(request)) return reply.code(201).send(created);
      return render(request, reply, {
        notice: secretShownOnce(
          `Password for ${created.device.name}`,
          'Type it into the device now: it is shown only once.',
          [created.password],
        ),
      });
    }, 'POST'),
  );

  const revokeDevice = action(async (request, reply) => {
    const { id } = request.params as { id: string };
    await revokeDevicePassword(instanceOf(request).accounts, id);
    deps.authenticator.invalidate();
    if (answersJson(request) || request.method === 'DELETE') return reply.code(204).send();
    return render(request, reply);
  }, 'DELETE');
  app.post('/settings/device-passwords/:id/revoke', revokeDevice);
  app.delete('/settings/device-passwords/:id', revokeDevice);

  app.get('/settings/sessions', async (request) => {
    requireSettings(request, 'GET');
    // An app token made for a page is bound to the session that opened the app: that one is current.
    const p = request.principal;
    const current = p.kind === 'session' ? p.session.id : p.kind === 'token' ? p.token.sessionId : undefined;
    const sessions = await listSessions(instanceOf(request).accounts);
    return sessions.map(({ csrfToken: _, ...s }) => ({ ...s, current: s.id === current }));
  });

  const revoke = action(async (request, reply) => {
    const { id } = request.params as { id: string };
    await revokeSession(instanceOf(request).accounts, id);
    if (answersJson(request) || request.method === 'DELETE') return reply.code(204).send();
    return render(request, reply);
  }, 'DELETE');
  app.post('/settings/sessions/:id/revoke', revoke);
  app.delete('/settings/sessions/:id', revoke);
}
