import type { JSX } from 'preact';

export interface ProgressBarProps {
  /** From 0 to `max`; undefined for an indeterminate bar. */
  value?: number;
  max?: number;
  label: string;
}

/** A progress bar (uploads, imports), with its value announced to screen readers. */
export function ProgressBar({ value, max = 1, label }: ProgressBarProps): JSX.Element {
  const ratio = value === undefined || max <= 0 ? undefined : Math.min(1, Math.max(0, value / max));
  return (
    <div
      class={['nu-progress', ratio === undefined ? 'nu-progress--indeterminate' : ''].join(' ').trim()}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={ratio === undefined ? undefined : Math.round(ratio * 100)}
    >
      <div class="nu-progress__bar" style={ratio === undefined ? undefined : { width: `${ratio * 100}%` }} />
    </div>
  );
}
