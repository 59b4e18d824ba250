import { useToast, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useRef, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import { ConsentDialog, type ConsentRequest } from './consent-dialog.js';
import type { InstalledApp, StagedApp } from './types.js';

/** Starts the consent flow: with a way to fetch the staged app (null: nothing to ask), or a known one. */
export interface InstallFlow {
  start(stage: () => Promise<ConsentRequest | null>): void;
}

export function consentOf(staged: StagedApp): ConsentRequest {
  return {
    staged: staged.staged,
    name: staged.name,
    version: staged.version,
    description: staged.description,
    permissions: staged.permissions,
    installedVersion: staged.installed?.version ?? null,
  };
}

/**
 * The two-step install shared by the store and the details page: stage (the dialog shows a spinner,
 * then the permissions), then Accept installs exactly what was shown. Cancel installs nothing; the
 * staged copy expires on the server by itself. Errors stay in the dialog, next to what caused them.
 */
export function useInstallFlow(
  api: HomeApi,
  onInstalled: (app: InstalledApp) => void,
): [InstallFlow, JSX.Element | null] {
  const t = useT();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [request, setRequest] = useState<ConsentRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A cancelled fetch must not reopen the dialog when it answers late.
  const attempt = useRef(0);

  const close = () => {
    attempt.current++;
    setOpen(false);
    setRequest(null);
    setBusy(false);
    setError(null);
  };

  const start = useCallback((stage: () => Promise<ConsentRequest | null>) => {
    const mine = ++attempt.current;
    setOpen(true);
    setRequest(null);
    setError(null);
    setBusy(false);
    stage().then(
      (staged) => {
        if (attempt.current !== mine) return;
        if (staged) setRequest(staged);
        else setOpen(false);
      },
      (failure: unknown) => {
        if (attempt.current === mine) setError(messageOf(failure));
      },
    );
  }, []);

  const accept = async () => {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      const installed = await api.install(request.staged);
      close();
      toast.show(t('consent.installed', { name: installed.name, version: installed.version }), {
        kind: 'success',
      });
      onInstalled(installed);
    } catch (failure) {
      setBusy(false);
      setError(messageOf(failure));
    }
  };

  const dialog = open ? (
    <ConsentDialog
      request={request}
      busy={busy}
      error={error}
      onAccept={() => void accept()}
      onCancel={close}
    />
  ) : null;
  return [{ start }, dialog];
}
