import type { JSX } from 'preact';
import { useState } from 'preact/hooks';

/** An app's icon (served publicly by the instance), or its initial when it has none or it fails. */
export function AppIcon({
  src,
  name,
  size = 56,
}: {
  src: string | null;
  name: string;
  size?: number;
}): JSX.Element {
  const [broken, setBroken] = useState(false);
  const style = { width: `${size}px`, height: `${size}px` };
  if (!src || broken)
    return (
      <span
        class="home-icon home-icon--letter"
        style={{ ...style, fontSize: `${size / 2}px` }}
        aria-hidden="true"
      >
        {name.slice(0, 1).toUpperCase()}
      </span>
    );
  return <img class="home-icon" src={src} alt="" style={style} onError={() => setBroken(true)} />;
}
