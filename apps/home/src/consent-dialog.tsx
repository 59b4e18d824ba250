import { Button, Dialog, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { PermissionList } from './permission-list.js';
import type { Permissions } from './types.js';

/** A staged app the owner is asked about: a first install, or an update that asks for more. */
export interface ConsentRequest {
  staged: string;
  name: string;
  version: string;
  description: string;
  permissions: Permissions;
  /** The version installed now, when this is an update. */
  installedVersion: string | null;
}

export interface ConsentDialogProps {
  /** Null while the app is being fetched and checked. */
  request: ConsentRequest | null;
  busy: boolean;
  error: string | null;
  onAccept: () => void;
  onCancel: () => void;
}

/** Nothing is installed before Accept: the dialog lists every permission the app would get. */
export function ConsentDialog({ request, busy, error, onAccept, onCancel }: ConsentDialogProps): JSX.Element {
  const t = useT();
  const title = request
    ? request.installedVersion
      ? t('consent.updateTitle', { name: request.name, version: request.version })
      : t('consent.title', { name: request.name })
    : t('consent.fetching');
  return (
    <Dialog
      open
      title={title}
      onClose={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          {request ? (
            <Button variant="primary" busy={busy} onClick={onAccept}>
              {t('consent.accept')}
            </Button>
          ) : null}
        </>
      }
    >
      {request ? (
        <>
          {request.description ? <p>{request.description}</p> : null}
          <p>
            {request.installedVersion
              ? t('consent.updateIntro', { from: request.installedVersion, to: request.version })
              : t('consent.intro', { version: request.version })}
          </p>
          <PermissionList permissions={request.permissions} />
        </>
      ) : error ? null : (
        <div class="home-center">
          <Spinner />
        </div>
      )}
      {error ? (
        <p class="home-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
