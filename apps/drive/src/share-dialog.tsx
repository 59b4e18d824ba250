import type { FileEntry } from '@nuage/client';
import { Button, Dialog, TextField, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type DriveApi, type Share } from './api.js';
import { ShareForm } from './share-form.js';
import { formatDate } from './format.js';

export interface ShareDialogProps {
  api: DriveApi;
  entry: FileEntry;
  onClose: () => void;
}

/**
 * Share links of one entry: make one (read or drop box, password, expiry), copy its address — shown
 * only now, since the stack keeps just a hash of the secret — and list or revoke the live ones.
 */
export function ShareDialog({ api, entry, onClose }: ShareDialogProps): JSX.Element {
  const t = useT();
  const [shares, setShares] = useState<Share[] | null>(null);
  const [created, setCreated] = useState<Share | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api.shares(entry.id).then(setShares, (failure: unknown) => setError(messageOf(failure)));
  }, [api, entry.id]);
  useEffect(reload, [reload]);

  return (
    <Dialog
      open
      title={t('share.title', { name: entry.name })}
      onClose={onClose}
      actions={<Button onClick={onClose}>{t('common.done')}</Button>}
    >
      {created?.url ? (
        <NewLink url={created.url} />
      ) : (
        <ShareForm
          folder={entry.type === 'directory'}
          onCreate={async (input) => {
            setCreated(await api.createShare(entry.id, input));
            reload();
          }}
        />
      )}
      <h3 class="drive-dialog-heading">{t('share.existing')}</h3>
      {error ? <p class="drive-error">{error}</p> : null}
      {shares?.length === 0 ? <p class="drive-muted">{t('share.none')}</p> : null}
      <ul class="drive-shares" aria-label={t('share.existing')}>
        {(shares ?? []).map((share) => (
          <ShareRow key={share.id} share={share} api={api} onRevoked={reload} />
        ))}
      </ul>
    </Dialog>
  );
}

/** The new link, once: selectable, with a copy button. */
function NewLink({ url }: { url: string }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      toast.show(t('share.copied'), { kind: 'success' });
    } catch {
      // The clipboard can be refused (no focus, no permission): the owner can still copy by hand.
      toast.show(t('share.copyFailed'), { kind: 'error' });
    }
  };
  return (
    <div class="drive-newlink">
      <TextField label={t('share.link')} value={url} onValue={() => undefined} hint={t('share.onlyNow')} />
      <Button variant="primary" icon="check" onClick={() => void copy()}>
        {t('share.copy')}
      </Button>
    </div>
  );
}

function ShareRow({
  share,
  api,
  onRevoked,
}: {
  share: Share;
  api: DriveApi;
  onRevoked: () => void;
}): JSX.Element {
  const t = useT();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const locale = document.documentElement.lang || 'en';
  const facts = [
    t(share.mode === 'upload' ? 'share.mode.upload' : 'share.mode.read'),
    t('share.created', { date: formatDate(share.createdAt, locale) }),
    share.expiresAt ? t('share.expires', { date: formatDate(share.expiresAt, locale) }) : null,
    share.hasPassword ? t('share.withPassword') : null,
  ].filter(Boolean);
  const revoke = async () => {
    setBusy(true);
    try {
      await api.revokeShare(share.id);
      toast.show(t('share.revoked'), { kind: 'success' });
      onRevoked();
    } catch (failure) {
      toast.show(messageOf(failure), { kind: 'error' });
      setBusy(false);
    }
  };
  return (
    <li class="drive-share">
      <span>{facts.join(' · ')}</span>
      <Button variant="ghost" busy={busy} onClick={() => void revoke()}>
        {t('share.revoke')}
      </Button>
    </li>
  );
}
