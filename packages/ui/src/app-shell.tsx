import type { ComponentChildren, JSX } from 'preact';
import { homeUrl } from './home.js';
import { Icon } from './icons.js';
import { useT } from './locale.js';

export interface AppShellProps {
  /** The app's name, shown in the top bar. */
  appName: string;
  /** The instance origin (from the page context): the Home link is derived from it. */
  instance: string;
  /** Buttons at the end of the top bar. */
  actions?: ComponentChildren;
  children?: ComponentChildren;
}

/** The frame every app shares: a top bar (back to Home, the app's name, its actions) over the content. */
export function AppShell({ appName, instance, actions, children }: AppShellProps): JSX.Element {
  const t = useT();
  const page = typeof location === 'undefined' ? undefined : location.hostname;
  return (
    <div class="nu-shell">
      <header class="nu-topbar">
        <a
          class="nu-topbar__home"
          href={homeUrl(instance, page)}
          aria-label={t('ui.home')}
          title={t('ui.home')}
        >
          <Icon name="apps" />
        </a>
        <h1 class="nu-topbar__title">{appName}</h1>
        <div class="nu-topbar__actions">{actions}</div>
      </header>
      <main class="nu-shell__main">{children}</main>
    </div>
  );
}

export interface ListDetailProps {
  list: ComponentChildren;
  /** What is open; null shows the `placeholder` on wide screens and only the list on phones. */
  detail: ComponentChildren | null;
  placeholder?: ComponentChildren;
  /** Goes back to the list on phones (where list and detail do not fit side by side). */
  onBack?: () => void;
}

/** A list beside its selected item; on phones one at a time, with a back button on the detail. */
export function ListDetail({ list, detail, placeholder, onBack }: ListDetailProps): JSX.Element {
  const t = useT();
  const open = detail !== null && detail !== undefined && detail !== false;
  return (
    <div class={['nu-list-detail', open ? 'nu-list-detail--open' : ''].join(' ').trim()}>
      <section class="nu-list-detail__list">{list}</section>
      <section class="nu-list-detail__detail">
        {open ? (
          <>
            {onBack ? (
              <button type="button" class="nu-button nu-button--ghost nu-list-detail__back" onClick={onBack}>
                <Icon name="back" size={18} />
                {t('ui.back')}
              </button>
            ) : null}
            {detail}
          </>
        ) : (
          placeholder
        )}
      </section>
    </div>
  );
}
