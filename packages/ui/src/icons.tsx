import type { JSX } from 'preact';

/**
 * Simple 24×24 stroke icons drawn for Nuage (currentColor, so they take the text's colour). Each is a
 * list of SVG path data; adding one is adding a line here.
 */
const PATHS = {
  folder: [
    'M3 6.5A1.5 1.5 0 0 1 4.5 5h4.3l2 2.2h8.7A1.5 1.5 0 0 1 21 8.7v9.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z',
  ],
  file: ['M6 3h8l4 4v14H6z', 'M14 3v4h4'],
  note: ['M5 4h14v16H5z', 'M8.5 9h7', 'M8.5 12.5h7', 'M8.5 16h4'],
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 16v4h16v-4'],
  download: ['M12 4v12', 'M7 11l5 5 5-5', 'M4 16v4h16v-4'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13', 'M10 11v6', 'M14 11v6'],
  restore: ['M4 12a8 8 0 1 0 2.3-5.6', 'M4 4v4h4'],
  share: [
    'M18 8a3 3 0 1 0 0-.01',
    'M6 15a3 3 0 1 0 0-.01',
    'M18 22a3 3 0 1 0 0-.01',
    'M8.6 13.5l6.8-4',
    'M8.6 16.5l6.8 4',
  ],
  search: ['M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z', 'M15.5 15.5L20 20'],
  settings: [
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
    'M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1',
  ],
  apps: ['M4 4h6v6H4z', 'M14 4h6v6h-6z', 'M4 14h6v6H4z', 'M14 14h6v6h-6z'],
  plus: ['M12 5v14', 'M5 12h14'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  more: ['M5 12h.01', 'M12 12h.01', 'M19 12h.01'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  back: ['M19 12H5', 'M11 6l-6 6 6 6'],
  home: ['M4 11l8-7 8 7', 'M6 9.5V20h12V9.5'],
  refresh: ['M20 12a8 8 0 1 1-2.3-5.6', 'M20 4v4h-4'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v5', 'M12 8h.01'],
  warning: ['M12 3l9.5 17h-19z', 'M12 10v4.5', 'M12 17.5h.01'],
  bell: ['M6 16V11a6 6 0 1 1 12 0v5l2 2H4z', 'M10 20.5a2 2 0 0 0 4 0'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof PATHS;
export const ICON_NAMES = Object.keys(PATHS) as IconName[];

export interface IconProps {
  name: IconName;
  /** Pixels (default 20). */
  size?: number;
  /** A label for an icon that means something on its own; without one the icon is hidden from screen readers. */
  label?: string;
  class?: string;
}

export function Icon({ name, size = 20, label, class: className }: IconProps): JSX.Element {
  return (
    <svg
      class={['nu-icon', className].filter(Boolean).join(' ')}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
