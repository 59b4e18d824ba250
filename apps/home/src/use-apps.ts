import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type HomeApi } from './api.js';
import type { InstalledApp } from './types.js';

export interface AppsState {
  /** Null until the first answer. */
  apps: InstalledApp[] | null;
  error: string | null;
  reload: () => void;
}

/** The installed apps, loaded once and again after every install, update or removal. */
export function useApps(api: HomeApi): AppsState {
  const [apps, setApps] = useState<InstalledApp[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.apps().then(
      (list) => {
        setApps(list);
        setError(null);
      },
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [api]);
  useEffect(reload, [reload]);
  return { apps, error, reload };
}
