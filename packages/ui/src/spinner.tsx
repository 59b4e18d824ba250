import type { JSX } from 'preact';
import { useT } from './locale.js';

/** An indeterminate activity indicator, announced to screen readers as loading. */
export function Spinner({ size = 24, label }: { size?: number; label?: string }): JSX.Element {
  const t = useT();
  return (
    <span
      class="nu-spinner"
      role="status"
      aria-label={label ?? t('ui.loading')}
      style={{ width: `${size}px`, height: `${size}px` }}
    />
  );
}
