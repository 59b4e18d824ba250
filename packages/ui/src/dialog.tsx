import { createPortal, type ComponentChildren, type JSX, type TargetedKeyboardEvent } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { focusablesIn, wrapTarget } from './focus.js';
import { Icon } from './icons.js';
import { useT } from './locale.js';

export interface DialogProps {
  open: boolean;
  title: string;
  /** Escape, the close button and a click on the backdrop call it. */
  onClose: () => void;
  children?: ComponentChildren;
  /** Buttons in the dialog's footer. */
  actions?: ComponentChildren;
}

/**
 * A modal dialog: focus moves into it and cannot Tab out, Escape closes it, and focus returns to
 * what had it before. Rendered at the end of `<body>` so no parent's overflow or stacking clips it.
 */
export function Dialog(props: DialogProps): JSX.Element | null {
  if (!props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({ title, onClose, children, actions }: DialogProps): JSX.Element {
  const t = useT();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    // The first field or button, or the panel itself for a dialog with nothing to focus.
    (root && (focusablesIn(root).find((el) => !el.classList.contains('nu-dialog__close')) ?? root))?.focus();
    return () => before?.focus();
  }, []);

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const target = wrapTarget(focusablesIn(panel.current), current, event.shiftKey);
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };

  return (
    <div
      class="nu-dialog__backdrop"
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panel}
        class="nu-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header class="nu-dialog__header">
          <h2 class="nu-dialog__title" id={titleId}>
            {title}
          </h2>
          <button
            type="button"
            class="nu-icon-button nu-dialog__close"
            aria-label={t('ui.close')}
            onClick={onClose}
          >
            <Icon name="close" />
          </button>
        </header>
        <div class="nu-dialog__body">{children}</div>
        {actions ? <footer class="nu-dialog__actions">{actions}</footer> : null}
      </div>
    </div>
  );
}
