import { Button, EmptyState, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import type { Notification, NotificationsState } from './use-notifications.js';

/** The notification centre: what jobs and apps told the owner, newest first. */
export function Notifications({
  state,
  language,
  instance,
}: {
  state: NotificationsState;
  language: string;
  /** Paths in notifications (`/apps/calendar/open`) are the instance's, not the Home's. */
  instance: string;
}): JSX.Element {
  const t = useT();
  const { items } = state;
  if (items === null) return <Spinner />;
  if (items.length === 0)
    return (
      <div class="home-page">
        <EmptyState title={t('notifications.empty.title')}>{t('notifications.empty.text')}</EmptyState>
      </div>
    );
  return (
    <div class="home-page">
      <section class="home-section" aria-labelledby="notifications-title">
        <div class="home-section__head">
          <h2 id="notifications-title">{t('notifications.title')}</h2>
          {state.unread > 0 ? (
            <Button variant="secondary" onClick={() => void state.markAllRead()}>
              {t('notifications.markAllRead')}
            </Button>
          ) : null}
        </div>
        <ul class="home-rows">
          {items.map((n) => (
            <Item key={n._id} n={n} state={state} language={language} instance={instance} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function Item({
  n,
  state,
  language,
  instance,
}: {
  n: Notification;
  state: NotificationsState;
  language: string;
  instance: string;
}): JSX.Element {
  const t = useT();
  const when = n.createdAt ? new Date(n.createdAt).toLocaleString(language) : '';
  // Only links into this cloud or its apps are followed; anything else is shown as text.
  const href = n.url && /^(https?:\/\/|\/(?!\/))/.test(n.url) ? new URL(n.url, instance).toString() : null;
  return (
    <li class={`home-row${n.read ? '' : ' home-row--unread'}`} data-notification={n._id}>
      <div class="home-row__text">
        <strong>
          {href ? (
            <a href={href} onClick={() => void state.markRead(n)}>
              {n.title}
            </a>
          ) : (
            n.title
          )}
        </strong>
        {n.message ? <span>{n.message}</span> : null}
        <span class="home-muted">{when}</span>
      </div>
      {n.read ? null : (
        <Button variant="secondary" onClick={() => void state.markRead(n)}>
          {t('notifications.markRead')}
        </Button>
      )}
      <Button variant="danger" onClick={() => void state.remove(n)} aria-label={t('notifications.delete')}>
        {t('notifications.delete')}
      </Button>
    </li>
  );
}
