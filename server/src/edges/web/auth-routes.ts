import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { checkOwnerPassword, createOwner, getOwner } from '../../auth/owner.js';
import type { LoginRateLimiter } from '../../auth/rate-limit.js';
import { randomToken } from '../../auth/secrets.js';
import { createSession, endSession } from '../../auth/sessions.js';
import { verifySecondFactor } from '../../auth/totp.js';
import { NuageError, TooManyRequests, Unauthorized } from '../../errors.js';
import { instanceOf } from '../../http/context.js';
import { loginPage, onboardingPage, secondFactorPage } from './auth-pages.js';
import { clearSessionCookie, field, safeRedirect, sendPage, setSessionCookie, wantsJson } from './forms.js';

const CHALLENGE_KIND = 'login-challenge';
const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * Onboarding, login (password, then TOTP when enabled), logout and the session probe. Pages are plain
 * server-rendered forms, so they work without JavaScript and on any phone browser.
 */
export function registerAuthRoutes(app: App, deps: { limiter: LoginRateLimiter }): void {
  const { limiter } = deps;

  app.get('/auth/onboarding', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    if (await getOwner(accounts)) return reply.redirect('/auth/login');
    return sendPage(reply, onboardingPage(instance.domain));
  });

  app.post('/auth/onboarding', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    const name = field(request, 'name');
    const password = field(request, 'password');
    if (await getOwner(accounts)) return reply.redirect('/auth/login', 303);
    if (field(request, 'confirm') !== password && !wantsJson(request)) {
      return sendPage(reply, onboardingPage(instance.domain, 'The two passwords differ.', name), 400);
    }
    try {
      await createOwner(accounts, name, password);
    } catch (error) {
      if (wantsJson(request) || !(error instanceof NuageError) || error.status !== 400) throw error;
      return sendPage(reply, onboardingPage(instance.domain, error.message, name), 400);
    }
    return startSession(request, reply, '/');
  });

  app.get('/auth/login', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    if (!(await getOwner(accounts))) return reply.redirect('/auth/onboarding');
    if (request.principal.kind === 'session') return reply.redirect(safeRedirect(request.query.redirect));
    return sendPage(reply, loginPage(instance.domain, safeRedirect(request.query.redirect)));
  });

  app.post('/auth/login', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    const redirect = safeRedirect(field(request, 'redirect'));
    const failed = (message: string, status: number) =>
      wantsJson(request)
        ? Promise.reject(new Unauthorized(message))
        : sendPage(reply, loginPage(instance.domain, redirect, message), status);
    try {
      limiter.check(instance.id, request.ip);
    } catch (error) {
      if (!(error instanceof TooManyRequests) || wantsJson(request)) throw error;
      void reply.header('retry-after', String(error.retryAfterSeconds));
      return sendPage(
        reply,
        loginPage(instance.domain, redirect, 'Too many failed attempts. Wait a few minutes.'),
        429,
      );
    }
    let owner;
    try {
      owner = await checkOwnerPassword(accounts, field(request, 'password'));
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      limiter.fail(instance.id, request.ip);
      return failed('Wrong password.', 401);
    }
    if (owner.totp) {
      const challenge = randomToken(24);
      await accounts.records.put(CHALLENGE_KIND, challenge, { redirect }, accounts.now() + CHALLENGE_TTL_MS);
      if (wantsJson(request)) return reply.code(202).send({ totpRequired: true, challenge });
      return sendPage(reply, secondFactorPage(challenge, redirect));
    }
    limiter.succeed(instance.id, request.ip);
    return startSession(request, reply, redirect);
  });

  app.post('/auth/login/totp', async (request, reply) => {
    const { instance, accounts } = instanceOf(request);
    limiter.check(instance.id, request.ip);
    const challenge = field(request, 'challenge');
    const pending = await accounts.records.get<{ redirect: string }>(
      CHALLENGE_KIND,
      challenge,
      accounts.now(),
    );
    if (!pending) {
      if (wantsJson(request)) throw new Unauthorized('the login attempt expired; start again');
      return reply.redirect('/auth/login', 303);
    }
    try {
      await verifySecondFactor(accounts, field(request, 'code'));
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      limiter.fail(instance.id, request.ip);
      if (wantsJson(request)) throw error;
      return sendPage(reply, secondFactorPage(challenge, pending.redirect, 'Wrong code.'), 401);
    }
    await accounts.records.delete(CHALLENGE_KIND, challenge);
    limiter.succeed(instance.id, request.ip);
    return startSession(request, reply, pending.redirect);
  });

  app.post('/auth/logout', async (request, reply) => {
    const { accounts } = instanceOf(request);
    if (request.principal.kind === 'session') await endSession(accounts, request.principal.cookie);
    clearSessionCookie(request, reply);
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect('/auth/login', 303);
  });

  app.get('/auth/session', async (request) => {
    const { instance, accounts } = instanceOf(request);
    const p = request.principal;
    const owner = await getOwner(accounts);
    return {
      instance: instance.domain,
      onboarded: owner !== null,
      authenticated: p.kind !== 'anonymous',
      ...(p.kind === 'session' ? { owner: owner?.name, csrfToken: p.session.csrfToken } : {}),
    };
  });
}

async function startSession(request: Request, reply: Reply, redirect: string): Promise<Reply> {
  const { accounts } = instanceOf(request);
  const { cookie, session } = await createSession(accounts, {
    userAgent: request.headers['user-agent'] ?? '',
    address: request.ip,
  });
  setSessionCookie(request, reply, cookie);
  if (wantsJson(request)) return reply.send({ ok: true, csrfToken: session.csrfToken });
  return reply.redirect(redirect, 303);
}
