import { Button, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { Avatar } from './avatar.js';
import { photoFromFile } from './photo.js';

/** The contact's photo with buttons to choose one from a file (made small) or remove it. */
export function PhotoField({
  name,
  photo,
  onPhoto,
}: {
  name: string;
  photo?: string;
  onPhoto: (photo: string | undefined) => void;
}): JSX.Element {
  const t = useT();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    try {
      onPhoto(await photoFromFile(file));
    } catch {
      toast.show(t('photo.failed'), { kind: 'error' });
    }
  };
  return (
    <div class="photo-field">
      <Avatar name={name} photo={photo} size={72} alt={t('contact.photo', { name })} />
      <input
        ref={input}
        type="file"
        accept="image/*"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          void pick(event.currentTarget.files?.[0]);
          event.currentTarget.value = '';
        }}
      />
      <Button icon="upload" onClick={() => input.current?.click()}>
        {t('photo.set')}
      </Button>
      {photo ? (
        <Button variant="ghost" icon="trash" onClick={() => onPhoto(undefined)}>
          {t('photo.remove')}
        </Button>
      ) : null}
    </div>
  );
}
