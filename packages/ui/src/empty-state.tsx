import type { ComponentChildren, JSX } from 'preact';
import { Icon, type IconName } from './icons.js';

export interface EmptyStateProps {
  icon?: IconName;
  title: string;
  /** A sentence saying what to do next. */
  children?: ComponentChildren;
  /** Usually a primary Button. */
  action?: ComponentChildren;
}

/** What a view shows when it has nothing yet: an invitation, not a blank page. */
export function EmptyState({ icon = 'note', title, children, action }: EmptyStateProps): JSX.Element {
  return (
    <div class="nu-empty">
      <Icon name={icon} size={48} class="nu-empty__icon" />
      <h2 class="nu-empty__title">{title}</h2>
      {children ? <p class="nu-empty__text">{children}</p> : null}
      {action}
    </div>
  );
}
