import { Button, Dialog, TextField, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf } from './api.js';

export interface NameDialogProps {
  title: string;
  submit: string;
  initial?: string;
  /** Creates or renames; a refusal (name taken, bad name) stays in the dialog under the field. */
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}

/** Asks for one name: a new folder's, or a new name for an entry. */
export function NameDialog({ title, submit, initial = '', onSubmit, onClose }: NameDialogProps): JSX.Element {
  const t = useT();
  const [name, setName] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const send = async (event?: Event) => {
    event?.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={!name.trim()} onClick={() => void send()}>
            {submit}
          </Button>
        </>
      }
    >
      <form onSubmit={(event) => void send(event)}>
        <TextField
          label={t('name.label')}
          value={name}
          onValue={setName}
          autoFocus
          maxLength={255}
          {...(error ? { error } : {})}
        />
      </form>
    </Dialog>
  );
}
