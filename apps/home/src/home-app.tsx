import type { NuageClient } from '@nuage/client';
import { AppShell, Icon, useT, useToast, type IconName } from '@nuage/ui';
import type { JSX } from 'preact';
import type { HomeApi } from './api.js';
import { AppDetails } from './app-details.js';
import { useInstallFlow } from './install-flow.js';
import type { Language } from '@nuage/ui';
import { Launcher } from './launcher.js';
import { Notifications } from './notifications.js';
import { messageOf } from './api.js';
import { useNotifications } from './use-notifications.js';
import { go, hrefOf, useRoute, type Route } from './route.js';
import { Settings } from './settings.js';
import { Store } from './store.js';
import { useApps } from './use-apps.js';

export interface HomeAppProps {
  api: HomeApi;
  client: NuageClient;
  language: Language;
  onLanguage: (language: Language) => void;
}

/** The Home: four tabs (apps, store, notifications, settings) and an app's details, by the URL's hash. */
export function HomeApp({ api, client, language, onLanguage }: HomeAppProps): JSX.Element {
  const t = useT();
  const toast = useToast();
  const route = useRoute();
  const notifications = useNotifications(client, (failure) =>
    toast.show(messageOf(failure), { kind: 'error' }),
  );
  const { apps, error, reload } = useApps(api);
  const [install, consentDialog] = useInstallFlow(api, () => {
    reload();
    go({ view: 'launcher' });
  });

  let content: JSX.Element;
  switch (route.view) {
    case 'launcher':
      content = <Launcher api={api} apps={apps} language={language} />;
      break;
    case 'store':
      content = <Store api={api} install={install} apps={apps} />;
      break;
    case 'notifications':
      content = <Notifications state={notifications} language={language} instance={api.instance} />;
      break;
    case 'settings':
      content = <Settings api={api} language={language} onLanguage={onLanguage} />;
      break;
    case 'app':
      content = (
        <AppDetails
          api={api}
          install={install}
          app={apps ? apps.find((a) => a.slug === route.slug) : null}
          language={language}
          onChanged={reload}
        />
      );
      break;
  }

  return (
    <AppShell appName={t('app.name')} instance={api.instance}>
      <Tabs route={route} unread={notifications.unread} />
      {error ? (
        <p class="home-error home-page" role="alert">
          {error}
        </p>
      ) : null}
      {content}
      {consentDialog}
    </AppShell>
  );
}

const TABS: { route: Route; icon: IconName; label: string }[] = [
  { route: { view: 'launcher' }, icon: 'apps', label: 'tabs.apps' },
  { route: { view: 'store' }, icon: 'download', label: 'tabs.store' },
  { route: { view: 'notifications' }, icon: 'bell', label: 'tabs.notifications' },
  { route: { view: 'settings' }, icon: 'settings', label: 'tabs.settings' },
];

function Tabs({ route, unread }: { route: Route; unread: number }): JSX.Element {
  const t = useT();
  // An app's details belong to the apps tab.
  const current = route.view === 'app' ? 'launcher' : route.view;
  return (
    <nav class="home-tabs" aria-label={t('tabs.label')}>
      {TABS.map((tab) => (
        <a
          key={tab.route.view}
          class="home-tab"
          href={hrefOf(tab.route)}
          aria-current={tab.route.view === current ? 'page' : undefined}
        >
          <Icon name={tab.icon} size={18} />
          {t(tab.label)}
          {tab.route.view === 'notifications' && unread > 0 ? (
            <span class="home-count" aria-label={t('tabs.unread', { count: String(unread) })}>
              {unread}
            </span>
          ) : null}
        </a>
      ))}
    </nav>
  );
}
