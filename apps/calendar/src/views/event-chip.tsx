import type { JSX } from 'preact';
import type { Placed } from '../placed.js';

export interface ChipProps {
  p: Placed;
  label: string;
  onOpen: (p: Placed) => void;
  style?: Record<string, string>;
  class?: string;
}

/** MIME type of a dragged occurrence: its key, read by the drop targets of the views. */
export const DRAG_TYPE = 'application/x-nuage-occurrence';

/** An occurrence in a view: a button that opens it, draggable to another day or time. */
export function EventChip({ p, label, onOpen, style, class: className }: ChipProps): JSX.Element {
  return (
    <button
      type="button"
      class={['cal-event', p.o.allDay ? 'cal-event--allday' : '', className].filter(Boolean).join(' ')}
      style={{ '--cal-color': p.color, ...style }}
      draggable={!p.o.overridden}
      onDragStart={(event) => {
        event.dataTransfer?.setData(DRAG_TYPE, p.o.key);
        event.dataTransfer?.setData('text/plain', p.o.summary);
      }}
      onClick={(event) => {
        event.stopPropagation();
        onOpen(p);
      }}
      title={label}
    >
      {label}
    </button>
  );
}

/** Drop-target handlers: `onDrop` gets the dragged occurrence's key and the drop event. */
export function dropTarget(onDrop: (key: string, event: DragEvent) => void): {
  onDragOver: (event: DragEvent) => void;
  onDrop: (event: DragEvent) => void;
} {
  return {
    onDragOver: (event) => {
      if (event.dataTransfer?.types.includes(DRAG_TYPE)) event.preventDefault();
    },
    onDrop: (event) => {
      const key = event.dataTransfer?.getData(DRAG_TYPE);
      if (!key) return;
      event.preventDefault();
      onDrop(key, event);
    },
  };
}
