import type { ButtonHTMLAttributes, JSX } from 'preact';
import { Icon, type IconName } from './icons.js';
import { Spinner } from './spinner.js';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'class'> {
  class?: string;
  /** `primary` for the one main action of a view, `danger` for destructive ones, `ghost` in toolbars. */
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  icon?: IconName;
  /** Shows a spinner and disables the button while an action runs. */
  busy?: boolean;
}

/** A button; an icon-only button needs an `aria-label`. Defaults to `type="button"`, not submit. */
export function Button({
  variant = 'secondary',
  icon,
  busy = false,
  disabled,
  children,
  class: className,
  type = 'button',
  ...rest
}: ButtonProps): JSX.Element {
  return (
    <button
      {...rest}
      type={type}
      class={['nu-button', `nu-button--${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <Spinner size={16} /> : icon ? <Icon name={icon} size={18} /> : null}
      {children}
    </button>
  );
}
