import { Icon, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from './route.js';

/** Searches file names on submit; the results are a route, so Back returns to the folder. */
export function SearchBox({ initial }: { initial: string }): JSX.Element {
  const t = useT();
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      class="drive-search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (q.trim()) navigate({ kind: 'search', q: q.trim() });
      }}
    >
      <Icon name="search" size={18} />
      <input
        type="search"
        class="drive-search__input"
        value={q}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        onInput={(event) => setQ(event.currentTarget.value)}
      />
    </form>
  );
}
