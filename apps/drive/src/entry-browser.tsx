import type { FileEntry } from '@nuage/client';
import { EmptyState, useT } from '@nuage/ui';
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { DriveApi } from './api.js';
import { EntryList, type Layout } from './entry-list.js';
import { isImage } from './format.js';
import { MoveDialog } from './move-dialog.js';
import { NameDialog } from './name-dialog.js';
import { PreviewDialog } from './preview-dialog.js';
import { navigate } from './route.js';
import { SelectionBar } from './selection-bar.js';
import { ShareDialog } from './share-dialog.js';
import { useActions } from './use-actions.js';

type Open =
  | { kind: 'rename'; entry: FileEntry }
  | { kind: 'move'; entries: FileEntry[] }
  | { kind: 'share'; entry: FileEntry }
  | { kind: 'preview'; entry: FileEntry };

export interface EntryBrowserProps {
  api: DriveApi;
  entries: readonly FileEntry[];
  layout: Layout;
  label: string;
  /** The folder shown, where the move dialog starts. */
  here: string;
  changed: () => void;
  showPath?: boolean;
  empty: ComponentChildren;
}

/** Entries with their selection, the actions on it, and the dialogs those open. */
export function EntryBrowser(props: EntryBrowserProps): JSX.Element {
  const t = useT();
  const { api, entries, changed } = props;
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<Open | null>(null);
  const actions = useActions(api, changed);
  const selected = entries.filter((e) => ids.has(e.id));
  const [first] = selected;

  // A new listing drops checked entries that went away (trashed, moved, renamed elsewhere).
  useEffect(() => setIds((now) => new Set(entries.filter((e) => now.has(e.id)).map((e) => e.id))), [entries]);

  const openEntry = (entry: FileEntry) => {
    if (entry.type === 'directory') navigate({ kind: 'folder', id: entry.id });
    else if (isImage(entry)) setOpen({ kind: 'preview', entry });
    else void actions.download([entry]);
  };
  const close = () => setOpen(null);

  return (
    <>
      <SelectionBar
        selected={selected}
        onDownload={() => void actions.download(selected)}
        onShare={() => first && setOpen({ kind: 'share', entry: first })}
        onRename={() => first && setOpen({ kind: 'rename', entry: first })}
        onMove={() => setOpen({ kind: 'move', entries: selected })}
        onTrash={() => void actions.trash(selected)}
        onClear={() => setIds(new Set())}
      />
      {entries.length === 0 ? (
        props.empty
      ) : (
        <EntryList
          client={api.client}
          entries={entries}
          layout={props.layout}
          selected={ids}
          onSelect={setIds}
          onOpen={openEntry}
          label={props.label}
          {...(props.showPath ? { showPath: true } : {})}
        />
      )}
      {open?.kind === 'rename' ? (
        <NameDialog
          title={t('rename.title', { name: open.entry.name })}
          submit={t('action.rename')}
          initial={open.entry.name}
          onSubmit={async (name) => {
            await api.files.rename(open.entry.id, name);
            changed();
          }}
          onClose={close}
        />
      ) : null}
      {open?.kind === 'move' ? (
        <MoveDialog
          client={api.client}
          moving={open.entries}
          start={props.here}
          onMove={(dirId) => actions.move(open.entries, dirId)}
          onClose={close}
        />
      ) : null}
      {open?.kind === 'share' ? <ShareDialog api={api} entry={open.entry} onClose={close} /> : null}
      {open?.kind === 'preview' ? (
        <PreviewDialog
          client={api.client}
          image={open.entry}
          onDownload={() => void actions.download([open.entry])}
          onClose={close}
        />
      ) : null}
    </>
  );
}

/** The empty state of a view with nothing to show. */
export function Nothing(props: { title: string; text: string; action?: ComponentChildren }): JSX.Element {
  return (
    <EmptyState icon="folder" title={props.title} action={props.action}>
      {props.text}
    </EmptyState>
  );
}
