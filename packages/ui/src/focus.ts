/** What Tab can reach inside a container. */
export const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

export function focusablesIn(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

/**
 * Where Tab (or Shift+Tab) from `current` must go to stay inside a trap: the first item after the
 * last, the last before the first, the first when focus is outside. Null: let the browser move it.
 */
export function wrapTarget<T>(items: readonly T[], current: T | null, backwards: boolean): T | null {
  if (items.length === 0) return null;
  const at = current === null ? -1 : items.indexOf(current);
  if (backwards) return at <= 0 ? items[items.length - 1]! : null;
  return at === -1 || at === items.length - 1 ? items[0]! : null;
}
