import { useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { doctypeInWords, verbsInWords } from './permissions.js';
import type { Permissions } from './types.js';

/** What an app may do, one line per permission: the data, the verbs in plain words, and why. */
export function PermissionList({ permissions }: { permissions: Permissions }): JSX.Element {
  const t = useT();
  const entries = Object.entries(permissions);
  if (entries.length === 0) return <p class="home-muted">{t('permissions.none')}</p>;
  return (
    <ul class="home-permissions">
      {entries.map(([name, permission]) => (
        <li key={name} class="home-permission">
          <div class="home-permission__what">
            <strong>{doctypeInWords(t, permission.type)}</strong> <code>{permission.type}</code>
          </div>
          <div>{t('permissions.may', { verbs: verbsInWords(t, permission) })}</div>
          {permission.description ? <div class="home-muted">{permission.description}</div> : null}
        </li>
      ))}
    </ul>
  );
}
