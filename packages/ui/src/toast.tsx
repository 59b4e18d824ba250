import { createContext, type ComponentChildren, type JSX } from 'preact';
import { useCallback, useContext, useMemo, useRef, useState } from 'preact/hooks';
import { Icon } from './icons.js';
import { useT } from './locale.js';

export type ToastKind = 'info' | 'success' | 'error';

export interface ToastOptions {
  kind?: ToastKind;
  /** Milliseconds before it goes away by itself (default 5000; errors 8000; 0: stays). */
  timeout?: number;
  action?: { label: string; run: () => void };
}

interface Toast extends ToastOptions {
  id: number;
  message: string;
}

export interface Toaster {
  /** Shows a notification; answers a function that dismisses it. */
  show(message: string, options?: ToastOptions): () => void;
}

const ToastContext = createContext<Toaster>({
  show: () => () => undefined,
});

/** Notifications for the app below it (`useToast().show(…)`), in a live region screen readers announce. */
export function ToastProvider({ children }: { children?: ComponentChildren }): JSX.Element {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const toaster = useMemo<Toaster>(
    () => ({
      show(message, options = {}) {
        const id = next.current++;
        setToasts((all) => [...all, { ...options, id, message }]);
        const timeout = options.timeout ?? (options.kind === 'error' ? 8000 : 5000);
        const timer = timeout > 0 ? setTimeout(() => dismiss(id), timeout) : undefined;
        return () => {
          clearTimeout(timer);
          dismiss(id);
        };
      },
    }),
    [dismiss],
  );
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <ToastArea toasts={toasts} dismiss={dismiss} />
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  return useContext(ToastContext);
}

function ToastArea({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }): JSX.Element {
  const t = useT();
  return (
    <section class="nu-toasts" aria-label={t('ui.notifications')} aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          class={`nu-toast nu-toast--${toast.kind ?? 'info'}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <Icon name={toast.kind === 'error' ? 'warning' : toast.kind === 'success' ? 'check' : 'info'} />
          <span class="nu-toast__message">{toast.message}</span>
          {toast.action ? (
            <button
              type="button"
              class="nu-toast__action"
              onClick={() => {
                toast.action?.run();
                dismiss(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button
            type="button"
            class="nu-icon-button"
            aria-label={t('ui.dismiss')}
            onClick={() => dismiss(toast.id)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </section>
  );
}
