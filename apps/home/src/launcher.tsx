import { EmptyState, Icon, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import type { HomeApi } from './api.js';
import { AppIcon } from './app-icon.js';
import { localized } from './localized.js';
import { hrefOf } from './route.js';
import type { InstalledApp } from './types.js';

export interface LauncherProps {
  api: HomeApi;
  apps: InstalledApp[] | null;
  language: string;
}

/**
 * The installed apps as tiles. Opening is a plain link to the instance's `/apps/<slug>/open`: a
 * top-level navigation, so the owner's session cookie goes along and the app gets its own.
 */
export function Launcher({ api, apps, language }: LauncherProps): JSX.Element {
  const t = useT();
  if (!apps)
    return (
      <div class="home-center">
        <Spinner />
      </div>
    );
  // The Home itself is where the owner already is: it is listed in the store and details, not here.
  const others = apps.filter((app) => app.slug !== 'home');
  if (others.length === 0)
    return (
      <EmptyState
        icon="apps"
        title={t('launcher.empty.title')}
        action={
          <a class="nu-button nu-button--primary" href={hrefOf({ view: 'store' })}>
            {t('launcher.empty.action')}
          </a>
        }
      >
        {t('launcher.empty.text')}
      </EmptyState>
    );
  return (
    <ul class="home-launcher" aria-label={t('launcher.title')}>
      {others.map((app) => (
        <AppTile key={app.slug} api={api} app={app} name={localized(app, language).name} />
      ))}
    </ul>
  );
}

function AppTile({ api, app, name }: { api: HomeApi; app: InstalledApp; name: string }): JSX.Element {
  const t = useT();
  return (
    <li class="home-tile">
      <a class="home-tile__open" href={api.url(app.open)}>
        <span class="home-tile__icon">
          <AppIcon src={app.icon ? api.url(app.icon) : null} name={name} />
          {app.pendingUpdate ? (
            <span class="home-badge" title={t('launcher.updateWaiting')}>
              <span class="home-sr">{t('launcher.updateWaiting')}</span>
            </span>
          ) : null}
        </span>
        <span class="home-tile__name">{name}</span>
      </a>
      <a
        class="nu-icon-button home-tile__details"
        href={hrefOf({ view: 'app', slug: app.slug })}
        aria-label={t('launcher.details', { name })}
        title={t('launcher.details', { name })}
      >
        <Icon name="more" size={18} />
      </a>
    </li>
  );
}
