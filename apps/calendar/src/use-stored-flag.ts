import { useState } from 'preact/hooks';

/** A yes/no view choice remembered on this device under `key` (not data to sync), false at first. */
export function useStoredFlag(key: string): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      return localStorage.getItem(key) === 'true';
    } catch {
      return false;
    }
  });
  const set = (next: boolean) => {
    setValue(next);
    try {
      localStorage.setItem(key, String(next));
    } catch {
      // Not saved: the choice lasts until the page is reloaded.
    }
  };
  return [value, set];
}
