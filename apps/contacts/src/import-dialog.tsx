import { Button, Dialog, ProgressBar, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { ContactsApi } from './contacts-api.js';
import { importVcf, type ImportOutcome, type ImportProgress } from './import-vcf.js';

export interface ImportDialogProps {
  open: boolean;
  api: ContactsApi;
  addressbook: string | null;
  existingUids: () => ReadonlySet<string>;
  onClose: () => void;
  onError: (error: unknown) => void;
}

/** Picks a .vcf file and imports it with a progress bar; the list fills in live meanwhile. */
export function ImportDialog({
  open,
  api,
  addressbook,
  existingUids,
  onClose,
  onError,
}: ImportDialogProps): JSX.Element {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const running = progress !== null && outcome === null;

  const run = async (file: File | undefined) => {
    if (!file || !addressbook) return;
    setOutcome(null);
    setProgress({ done: 0, total: 0 });
    try {
      setOutcome(await importVcf(api, await file.text(), addressbook, existingUids(), setProgress));
    } catch (error) {
      setProgress(null);
      onError(error);
    }
  };
  const close = () => {
    // Closing while it runs would hide the progress of a write that goes on anyway.
    if (running) return;
    setProgress(null);
    setOutcome(null);
    onClose();
  };

  return (
    <Dialog
      open={open}
      title={t('import.title')}
      onClose={close}
      actions={
        <Button onClick={close} disabled={running}>
          {t('import.close')}
        </Button>
      }
    >
      <p>{t('import.text')}</p>
      <input
        ref={input}
        type="file"
        accept=".vcf,.vcard,text/vcard,text/x-vcard"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          void run(event.currentTarget.files?.[0]);
          event.currentTarget.value = '';
        }}
      />
      <Button
        variant="primary"
        icon="upload"
        busy={running}
        disabled={!addressbook}
        onClick={() => input.current?.click()}
      >
        {t('import.choose')}
      </Button>
      {progress ? (
        <div class="import-progress">
          <ProgressBar label={t('import.progress')} value={progress.done} max={progress.total || 1} />
          <p aria-live="polite">
            {outcome
              ? outcome.imported + outcome.failed === 0
                ? t('import.empty')
                : t('import.done', { count: outcome.imported })
              : t('import.status', { done: progress.done, total: progress.total })}
          </p>
          {outcome && outcome.failed > 0 ? (
            <p class="nu-field__error">{t('import.failed', { count: outcome.failed })}</p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
