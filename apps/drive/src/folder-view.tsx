import { Button, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { messageOf, type DriveApi } from './api.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { DropZone } from './drop-zone.js';
import { EntryBrowser, Nothing } from './entry-browser.js';
import type { Layout } from './entry-list.js';
import { NameDialog } from './name-dialog.js';
import { UploadPanel } from './upload-panel.js';
import { useFolder } from './use-folder.js';
import type { Uploads } from './use-uploads.js';

export interface FolderViewProps {
  api: DriveApi;
  id: string;
  layout: Layout;
  uploads: Uploads;
}

/** One folder: where it is, what it holds, uploads into it (button or drop) and new folders. */
export function FolderView({ api, id, layout, uploads }: FolderViewProps): JSX.Element {
  const t = useT();
  const { folder, error, reload } = useFolder(api.client, id);
  const [naming, setNaming] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const upload = (files: File[]) => uploads.start(id, files, reload);

  if (!folder) {
    return (
      <div class="drive-center">{error ? <p class="drive-error">{messageOf(error)}</p> : <Spinner />}</div>
    );
  }
  return (
    <DropZone onFiles={upload}>
      <div class="drive-toolbar">
        <Breadcrumbs ancestors={folder.ancestors} dir={folder.dir} />
        <div class="drive-toolbar__actions">
          <Button icon="plus" onClick={() => setNaming(true)}>
            {t('action.newFolder')}
          </Button>
          <Button variant="primary" icon="upload" onClick={() => picker.current?.click()}>
            {t('action.upload')}
          </Button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              const files = [...(event.currentTarget.files ?? [])];
              // Cleared so that choosing the same file again still fires a change.
              event.currentTarget.value = '';
              if (files.length > 0) upload(files);
            }}
          />
        </div>
      </div>
      <UploadPanel uploads={uploads} />
      <EntryBrowser
        api={api}
        entries={folder.children}
        layout={layout}
        label={t('list.label', { name: folder.dir.dir_id ? folder.dir.name : t('nav.files') })}
        here={id}
        changed={reload}
        empty={<Nothing title={t('folder.empty.title')} text={t('folder.empty.text')} />}
      />
      {naming ? (
        <NameDialog
          title={t('action.newFolder')}
          submit={t('common.create')}
          onSubmit={async (name) => {
            await api.files.mkdir(id, name);
            reload();
          }}
          onClose={() => setNaming(false)}
        />
      ) : null}
    </DropZone>
  );
}
