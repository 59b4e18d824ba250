import { Button, Dialog, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { findDuplicates, type DuplicatePair } from './duplicates.js';
import type { Entry } from './filter.js';
import { displayName } from './text.js';
import type { ContactDoc } from './types.js';

export interface DuplicatesDialogProps {
  open: boolean;
  entries: readonly Entry[];
  onMerge: (keep: ContactDoc, other: ContactDoc) => Promise<void>;
  onClose: () => void;
}

/** Pairs that look like one person, each with a button to keep either side and merge the other in. */
export function DuplicatesDialog({ open, entries, onMerge, onClose }: DuplicatesDialogProps): JSX.Element {
  const t = useT();
  const pairs = useMemo(() => (open ? findDuplicates(entries) : []), [open, entries]);
  const [busy, setBusy] = useState<string | null>(null);
  const merge = async (pair: DuplicatePair, keep: ContactDoc, other: ContactDoc) => {
    setBusy(`${pair.a._id}\n${pair.b._id}`);
    try {
      await onMerge(keep, other);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Dialog
      open={open}
      title={t('duplicates.title')}
      onClose={onClose}
      actions={<Button onClick={onClose}>{t('duplicates.close')}</Button>}
    >
      {pairs.length === 0 ? (
        <p>{t('duplicates.none')}</p>
      ) : (
        <ul class="duplicates">
          {pairs.slice(0, 100).map((pair) => (
            <li key={`${pair.a._id}\n${pair.b._id}`} class="duplicate">
              <p class="muted">{t(`duplicates.${pair.reason}`, { value: pair.shared })}</p>
              <div class="actions">
                {[
                  [pair.a, pair.b],
                  [pair.b, pair.a],
                ].map(([keep, other]) => (
                  <Button
                    key={keep!._id}
                    busy={busy === `${pair.a._id}\n${pair.b._id}`}
                    onClick={() => void merge(pair, keep!, other!)}
                  >
                    {t('duplicates.keep', { name: displayName(keep!) || keep!._id })}
                  </Button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
