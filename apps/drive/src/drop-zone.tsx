import { useT } from '@nuage/ui';
import type { ComponentChildren, JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';

/**
 * Accepts files dropped anywhere over its children and shows a hint while they are dragged over.
 * A folder dropped from the desktop cannot be read without the non-standard entries API: its upload
 * fails and says so.
 */
export function DropZone(props: {
  onFiles: (files: File[]) => void;
  children: ComponentChildren;
}): JSX.Element {
  const t = useT();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; counting them tells when the pointer really left.
  const depth = useRef(0);
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  return (
    <div
      class={['drive-drop', over ? 'drive-drop--over' : ''].join(' ').trim()}
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (carriesFiles(event)) event.preventDefault();
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) props.onFiles(files);
      }}
    >
      {props.children}
      {over ? (
        <div class="drive-drop__hint" aria-hidden="true">
          {t('drop.hint')}
        </div>
      ) : null}
    </div>
  );
}
