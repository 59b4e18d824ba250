import { Button, Spinner, TextField, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import { consentOf, type InstallFlow } from './install-flow.js';
import { hrefOf } from './route.js';
import type { CatalogEntry, InstalledApp } from './types.js';

export interface StoreProps {
  api: HomeApi;
  install: InstallFlow;
  /** Reloaded with the installed apps, so "Installed" follows installs and removals. */
  apps: InstalledApp[] | null;
}

/** The catalogs' apps with Install, and installing from a link (git or tarball). */
export function Store({ api, install, apps }: StoreProps): JSX.Element {
  const t = useT();
  const [catalog, setCatalog] = useState<CatalogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.catalog().then(setCatalog, (failure: unknown) => setError(messageOf(failure)));
  }, [api, apps]);
  const stage = (source: string) => install.start(() => api.stage(source).then(consentOf));

  return (
    <div class="home-page">
      <InstallFromLink onInstall={stage} />
      <section class="home-section" aria-labelledby="catalog-title">
        <h2 id="catalog-title">{t('store.catalog')}</h2>
        {error ? (
          <p class="home-error" role="alert">
            {error}
          </p>
        ) : !catalog ? (
          <div class="home-center">
            <Spinner />
          </div>
        ) : (
          <ul class="home-cards">
            {catalog.map((entry) => (
              <CatalogCard key={entry.slug} entry={entry} onInstall={() => stage(entry.slug)} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CatalogCard({ entry, onInstall }: { entry: CatalogEntry; onInstall: () => void }): JSX.Element {
  const t = useT();
  return (
    <li class="home-card">
      <div class="home-card__text">
        <h3 class="home-card__title">{entry.name}</h3>
        {entry.description ? <p class="home-muted">{entry.description}</p> : null}
      </div>
      {entry.installed ? (
        <a class="nu-button nu-button--ghost" href={hrefOf({ view: 'app', slug: entry.slug })}>
          {t('store.installed')}
        </a>
      ) : (
        <Button
          variant="primary"
          icon="download"
          onClick={onInstall}
          aria-label={t('store.installNamed', { name: entry.name })}
        >
          {t('store.install')}
        </Button>
      )}
    </li>
  );
}

/** A source typed or pasted by the owner; the server says what is wrong with it, in the dialog. */
function InstallFromLink({ onInstall }: { onInstall: (source: string) => void }): JSX.Element {
  const t = useT();
  const [source, setSource] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    if (source.trim()) onInstall(source.trim());
  };
  return (
    <section class="home-section" aria-labelledby="link-title">
      <h2 id="link-title">{t('store.fromLink')}</h2>
      <form class="home-inline-form" onSubmit={submit}>
        <TextField
          label={t('store.link')}
          value={source}
          onValue={setSource}
          hint={t('store.linkHint')}
          autocomplete="off"
        />
        <Button type="submit" variant="primary" disabled={!source.trim()}>
          {t('store.install')}
        </Button>
      </form>
    </section>
  );
}
