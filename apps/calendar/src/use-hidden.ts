import { useState } from 'preact/hooks';

const KEY = 'nuage.calendar.hidden';

function load(): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(saved) ? saved.filter((s): s is string => typeof s === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The calendars the owner hid, remembered on this device (a view choice, not data to sync). */
export function useHidden(): [ReadonlySet<string>, (id: string) => void] {
  const [hidden, setHidden] = useState(load);
  const toggle = (id: string) =>
    setHidden((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      try {
        localStorage.setItem(KEY, JSON.stringify([...next]));
      } catch {
        // Not saved: the choice lasts until the page is reloaded.
      }
      return next;
    });
  return [hidden, toggle];
}
