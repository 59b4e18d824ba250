import type { FileEntry, NuageClient } from '@nuage/client';
import { Button, Dialog, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useObjectUrl } from './use-object-url.js';

export interface PreviewDialogProps {
  client: NuageClient;
  image: FileEntry;
  onDownload: () => void;
  onClose: () => void;
}

/**
 * An image, from an object URL (an `<img>` cannot send the bearer token): the stack's large thumbnail
 * (1024 pixels, turned upright) when it has one, else the image itself.
 */
export function PreviewDialog({ client, image, onDownload, onClose }: PreviewDialogProps): JSX.Element {
  const t = useT();
  const url = useObjectUrl(client, image, true, { thumbnail: 'large' });
  return (
    <Dialog
      open
      title={image.name}
      onClose={onClose}
      actions={
        <Button icon="download" onClick={onDownload}>
          {t('action.download')}
        </Button>
      }
    >
      <div class="drive-preview">{url ? <img src={url} alt={image.name} /> : <Spinner />}</div>
    </Dialog>
  );
}
