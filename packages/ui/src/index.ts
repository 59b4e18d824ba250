/**
 * `@nuage/ui`: the components and theme Nuage apps share. Import `@nuage/ui/theme.css` once in the
 * app's entry; wrap the app in `LocaleProvider` (its `t`) and `ToastProvider`.
 */
export { AppShell, ListDetail, type AppShellProps, type ListDetailProps } from './app-shell.js';
export { Button, type ButtonProps } from './button.js';
export { Dialog, type DialogProps } from './dialog.js';
export { EmptyState, type EmptyStateProps } from './empty-state.js';
export { FOCUSABLE, focusablesIn, wrapTarget } from './focus.js';
export { homeUrl } from './home.js';
export { createT, mergeDictionaries, UI_MESSAGES, type Dictionary, type Translate } from './i18n.js';
export { Icon, ICON_NAMES, type IconName, type IconProps } from './icons.js';
export { LocaleProvider, useT } from './locale.js';
export { ProgressBar, type ProgressBarProps } from './progress-bar.js';
export { Spinner } from './spinner.js';
export { TextField, type TextFieldProps } from './text-field.js';
export { ToastProvider, useToast, type Toaster, type ToastKind, type ToastOptions } from './toast.js';
export { LANGUAGES, initialLanguage, saveLanguage, type Language } from './language.js';
