import { Button, Icon, ProgressBar, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { messageOf } from './api.js';
import type { Uploads } from './use-uploads.js';

/** Each upload with its own progress bar, then whether it landed; the finished ones can be cleared. */
export function UploadPanel({ uploads }: { uploads: Uploads }): JSX.Element | null {
  const t = useT();
  if (uploads.items.length === 0) return null;
  const busy = uploads.items.some((u) => u.state === 'sending');
  return (
    <section class="drive-uploads" aria-label={t('uploads.title')}>
      <header class="drive-uploads__header">
        <h2>{t('uploads.title')}</h2>
        {busy ? null : (
          <Button variant="ghost" onClick={uploads.clear}>
            {t('uploads.clear')}
          </Button>
        )}
      </header>
      <ul class="drive-uploads__list">
        {uploads.items.map((u) => (
          <li key={u.key} class={`drive-upload drive-upload--${u.state}`} aria-label={u.name}>
            <span class="drive-upload__name">{u.name}</span>
            {u.state === 'failed' ? (
              <span class="drive-upload__status drive-error">
                <Icon name="warning" size={16} />
                {t('uploads.failed', { reason: messageOf(u.error) })}
              </span>
            ) : (
              // The bar stays, full, once the file has landed, so the end of each upload can be seen.
              <span class="drive-upload__progress">
                <ProgressBar
                  value={u.state === 'done' ? 1 : u.sent}
                  max={u.state === 'done' ? 1 : u.total || 1}
                  label={t('uploads.progress', { name: u.name })}
                />
                {u.state === 'done' ? (
                  <span class="drive-upload__status">
                    <Icon name="check" size={16} />
                    {t('uploads.done')}
                  </span>
                ) : null}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
