import { Button, TextField, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import { messageOf, type NewShare } from './api.js';

/** The choices of a new link: who may do what, an optional password, an optional last day. */
export function ShareForm(props: {
  folder: boolean;
  onCreate: (input: NewShare) => Promise<void>;
}): JSX.Element {
  const t = useT();
  const ids = { mode: useId(), expiry: useId() };
  const [mode, setMode] = useState<NewShare['mode']>('read');
  const [password, setPassword] = useState('');
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onCreate({
        mode,
        ...(password ? { password } : {}),
        // The link works through the whole chosen day, in the owner's time zone.
        ...(expiry ? { expiresAt: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
      });
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <form class="drive-form" onSubmit={(event) => void create(event)}>
      {props.folder ? (
        <div class="nu-field">
          <label class="nu-field__label" for={ids.mode}>
            {t('share.mode')}
          </label>
          <select
            id={ids.mode}
            class="nu-field__input"
            value={mode}
            onChange={(event) => setMode(event.currentTarget.value === 'upload' ? 'upload' : 'read')}
          >
            <option value="read">{t('share.mode.read')}</option>
            <option value="upload">{t('share.mode.upload')}</option>
          </select>
        </div>
      ) : null}
      <TextField
        label={t('share.password')}
        type="password"
        autocomplete="new-password"
        value={password}
        onValue={setPassword}
        hint={t('share.passwordHint')}
      />
      <div class="nu-field">
        <label class="nu-field__label" for={ids.expiry}>
          {t('share.expiry')}
        </label>
        <input
          id={ids.expiry}
          class="nu-field__input"
          type="date"
          min={new Date().toISOString().slice(0, 10)}
          value={expiry}
          onInput={(event) => setExpiry(event.currentTarget.value)}
        />
      </div>
      {error ? <p class="drive-error">{error}</p> : null}
      <Button type="submit" variant="primary" icon="share" busy={busy}>
        {t('share.create')}
      </Button>
    </form>
  );
}
