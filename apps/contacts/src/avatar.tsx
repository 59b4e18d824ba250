import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { initials } from './text.js';

/**
 * A contact's photo, or its initials when it has none or the picture cannot be shown (the app's
 * Content-Security-Policy lets it load `data:` URIs and its instance, not other sites).
 */
export function Avatar({
  name,
  photo,
  size = 40,
  alt,
}: {
  name: string;
  photo?: string;
  size?: number;
  alt?: string;
}): JSX.Element {
  const [broken, setBroken] = useState<string | null>(null);
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  if (photo && broken !== photo) {
    return <img class="avatar" style={style} src={photo} alt={alt ?? ''} onError={() => setBroken(photo)} />;
  }
  return (
    <span class="avatar avatar--initials" style={style} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
