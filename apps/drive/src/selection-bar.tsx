import type { FileEntry } from '@nuage/client';
import { Button, useT } from '@nuage/ui';
import type { JSX } from 'preact';

export interface SelectionBarProps {
  selected: readonly FileEntry[];
  onDownload: () => void;
  onShare: () => void;
  onRename: () => void;
  onMove: () => void;
  onTrash: () => void;
  onClear: () => void;
}

/** What can be done to the checked entries; sharing and renaming take exactly one. */
export function SelectionBar(props: SelectionBarProps): JSX.Element | null {
  const t = useT();
  const count = props.selected.length;
  if (count === 0) return null;
  const one = count === 1;
  const zip = !one || props.selected[0]?.type === 'directory';
  return (
    <div class="drive-selection" role="toolbar" aria-label={t('selection.label')}>
      <span class="drive-selection__count">{t('selection.count', { count })}</span>
      <Button variant="ghost" icon="download" onClick={props.onDownload}>
        {zip ? t('action.zip') : t('action.download')}
      </Button>
      {one ? (
        <>
          <Button variant="ghost" icon="share" onClick={props.onShare}>
            {t('action.share')}
          </Button>
          <Button variant="ghost" icon="edit" onClick={props.onRename}>
            {t('action.rename')}
          </Button>
        </>
      ) : null}
      <Button variant="ghost" icon="folder" onClick={props.onMove}>
        {t('action.move')}
      </Button>
      <Button variant="ghost" icon="trash" onClick={props.onTrash}>
        {t('action.trash')}
      </Button>
      <Button variant="ghost" icon="close" onClick={props.onClear} aria-label={t('selection.clear')} />
    </div>
  );
}
