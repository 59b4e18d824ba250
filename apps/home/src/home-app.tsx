import { AppShell, Icon, useT, type IconName } from '@nuage/ui';
import type { JSX } from 'preact';
import type { HomeApi } from './api.js';
import { AppDetails } from './app-details.js';
import { useInstallFlow } from './install-flow.js';
import type { Language } from './language.js';
import { Launcher } from './launcher.js';
import { go, hrefOf, useRoute, type Route } from './route.js';
import { Settings } from './settings.js';
import { Store } from './store.js';
import { useApps } from './use-apps.js';

export interface HomeAppProps {
  api: HomeApi;
  language: Language;
  onLanguage: (language: Language) => void;
}

/** The Home: three tabs (apps, store, settings) and an app's details, chosen by the URL's hash. */
export function HomeApp({ api, language, onLanguage }: HomeAppProps): JSX.Element {
  const t = useT();
  const route = useRoute();
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
      <Tabs route={route} />
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
  { route: { view: 'settings' }, icon: 'settings', label: 'tabs.settings' },
];

function Tabs({ route }: { route: Route }): JSX.Element {
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
        </a>
      ))}
    </nav>
  );
}
