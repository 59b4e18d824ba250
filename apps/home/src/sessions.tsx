import { Button, Spinner, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import type { SessionInfo } from './types.js';

/** The browsers logged in to this cloud; any but this one can be logged out from here. */
export function Sessions({ api, language }: { api: HomeApi; language: string }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const fail = (failure: unknown) => toast.show(messageOf(failure), { kind: 'error' });

  const load = useCallback(() => {
    api.sessions().then((list) => setSessions([...list].sort((a, b) => b.lastSeenAt - a.lastSeenAt)), fail);
    // `fail` only shows a toast; its identity changing must not reload the list.
  }, [api]);
  useEffect(load, [load]);

  const revoke = async (session: SessionInfo) => {
    try {
      await api.revokeSession(session.id);
      toast.show(t('sessions.revoked'), { kind: 'success' });
      load();
    } catch (failure) {
      fail(failure);
    }
  };

  return (
    <section class="home-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      {sessions === null ? (
        <Spinner />
      ) : (
        <ul class="home-rows">
          {sessions.map((session) => (
            <li key={session.id} class="home-row">
              <div class="home-row__text">
                <strong>{session.userAgent || t('sessions.unknownBrowser')}</strong>
                <span class="home-muted">
                  {t('sessions.seen', {
                    date: new Date(session.lastSeenAt).toLocaleString(language),
                    address: session.address,
                  })}
                </span>
              </div>
              {session.current ? (
                <span class="home-pill">{t('sessions.current')}</span>
              ) : (
                <Button variant="danger" onClick={() => void revoke(session)}>
                  {t('sessions.revoke')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
