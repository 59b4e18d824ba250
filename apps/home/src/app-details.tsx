import { Button, Dialog, EmptyState, Spinner, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import { AppIcon } from './app-icon.js';
import { consentOf, type InstallFlow } from './install-flow.js';
import { localized } from './localized.js';
import { PermissionList } from './permission-list.js';
import { go } from './route.js';
import type { InstalledApp } from './types.js';

/** Apps that manage the others cannot be removed (the server refuses too). */
const PROTECTED = new Set(['home']);

export interface AppDetailsProps {
  api: HomeApi;
  install: InstallFlow;
  /** Null while the list loads; undefined when no such app is installed. */
  app: InstalledApp | null | undefined;
  language: string;
  onChanged: () => void;
}

/** One installed app: what it is, where it comes from, what it may do; update and uninstall. */
export function AppDetails({ api, install, app, language, onChanged }: AppDetailsProps): JSX.Element {
  const t = useT();
  if (app === null)
    return (
      <div class="home-center">
        <Spinner />
      </div>
    );
  if (app === undefined) return <EmptyState icon="apps" title={t('details.missing')} />;
  const { name, description } = localized(app, language);
  const pending = app.pendingUpdate;
  return (
    <div class="home-page">
      <section class="home-section home-details__head">
        <AppIcon src={app.icon ? api.url(app.icon) : null} name={name} size={64} />
        <div class="home-details__title">
          <h2>{name}</h2>
          <p class="home-muted">{t('details.version', { version: app.version })}</p>
        </div>
        {app.slug !== 'home' ? (
          <a class="nu-button nu-button--primary" href={api.url(app.open)}>
            {t('details.open')}
          </a>
        ) : null}
      </section>
      {description ? <p>{description}</p> : null}
      {pending ? (
        <section class="home-section home-notice" role="status">
          <p>{t('details.pending', { version: pending.version })}</p>
          <Button
            variant="primary"
            onClick={() =>
              install.start(async () => ({
                staged: pending.staged,
                name,
                version: pending.version,
                description,
                permissions: pending.permissions,
                installedVersion: app.version,
              }))
            }
          >
            {t('details.review')}
          </Button>
        </section>
      ) : null}
      <section class="home-section">
        <h3>{t('details.permissions')}</h3>
        <PermissionList permissions={app.permissions} />
      </section>
      <section class="home-section">
        <dl class="home-facts">
          <dt>{t('details.source')}</dt>
          <dd>
            <code>{app.source}</code>
          </dd>
          {app.revision ? (
            <>
              <dt>{t('details.revision')}</dt>
              <dd>
                <code>{app.revision}</code>
              </dd>
            </>
          ) : null}
          <dt>{t('details.services')}</dt>
          <dd>{app.services.length > 0 ? app.services.join(', ') : t('details.noServices')}</dd>
          <dt>{t('details.updatedAt')}</dt>
          <dd>{new Date(app.updatedAt).toLocaleString(language)}</dd>
        </dl>
      </section>
      <section class="home-section home-actions">
        <UpdateButton api={api} install={install} app={app} onChanged={onChanged} />
        {PROTECTED.has(app.slug) ? null : (
          <UninstallButton api={api} app={app} name={name} onChanged={onChanged} />
        )}
      </section>
    </div>
  );
}

/**
 * Fetches the app again from its source. An update asking for no more permissions is applied by the
 * server at once; one asking for more comes back staged, and the owner is asked.
 */
function UpdateButton({
  api,
  install,
  app,
  onChanged,
}: Omit<AppDetailsProps, 'app' | 'language'> & { app: InstalledApp }) {
  const t = useT();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const update = async () => {
    setBusy(true);
    try {
      const result = await api.update(app.slug);
      if (result.applied)
        toast.show(t('details.updated', { version: result.app.version }), { kind: 'success' });
      else if (result.staged) {
        const staged = result.staged;
        install.start(async () => consentOf(staged));
      } else toast.show(t('details.upToDate'));
      onChanged();
    } catch (failure) {
      toast.show(messageOf(failure), { kind: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon="refresh" busy={busy} onClick={() => void update()}>
      {t('details.update')}
    </Button>
  );
}

function UninstallButton({
  api,
  app,
  name,
  onChanged,
}: {
  api: HomeApi;
  app: InstalledApp;
  name: string;
  onChanged: () => void;
}) {
  const t = useT();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const uninstall = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.uninstall(app.slug);
      setConfirming(false);
      toast.show(t('details.uninstalled', { name }), { kind: 'success' });
      onChanged();
      go({ view: 'launcher' });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="danger" icon="trash" onClick={() => setConfirming(true)}>
        {t('details.uninstall')}
      </Button>
      <Dialog
        open={confirming}
        title={t('details.uninstallTitle', { name })}
        onClose={() => setConfirming(false)}
        actions={
          <>
            <Button onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            <Button variant="danger" busy={busy} onClick={() => void uninstall()}>
              {t('details.uninstall')}
            </Button>
          </>
        }
      >
        <p>{t('details.uninstallText')}</p>
        {error ? (
          <p class="home-error" role="alert">
            {error}
          </p>
        ) : null}
      </Dialog>
    </>
  );
}
