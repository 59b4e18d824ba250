import type { NuageClient } from '@nuage/client';
import { useCallback, useRef, useState } from 'preact/hooks';

export interface Upload {
  key: number;
  name: string;
  sent: number;
  total: number;
  state: 'sending' | 'done' | 'failed';
  error?: unknown;
}

export interface Uploads {
  items: Upload[];
  /** Sends the files into `dirId`, two at a time; `onDone` runs once each one has landed. */
  start: (dirId: string, files: readonly File[], onDone: () => void) => void;
  /** Forgets the finished ones. */
  clear: () => void;
}

/** Two at a time: enough to fill the line, few enough to leave the browser's connections free. */
const PARALLEL = 2;

/** The upload queue with each file's progress, shown by UploadPanel. */
export function useUploads(client: NuageClient): Uploads {
  const [items, setItems] = useState<Upload[]>([]);
  const next = useRef(1);

  const patch = useCallback(
    (key: number, change: Partial<Upload>) =>
      setItems((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u))),
    [],
  );

  const start = useCallback(
    (dirId: string, files: readonly File[], onDone: () => void) => {
      const queue = files.map((file) => ({ file, key: next.current++ }));
      setItems((all) => [
        ...all,
        ...queue.map(({ file, key }) => ({
          key,
          name: file.name,
          sent: 0,
          total: file.size,
          state: 'sending' as const,
        })),
      ]);
      const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const { file, key } = job;
          try {
            await client.files.upload(dirId, file.name, file, {
              onProgress: (sent, total) => patch(key, { sent, total: total ?? file.size }),
            });
            patch(key, { state: 'done' });
            onDone();
          } catch (error) {
            patch(key, { state: 'failed', error });
          }
        }
      };
      for (let i = 0; i < Math.min(PARALLEL, queue.length); i++) void worker();
    },
    [client, patch],
  );

  const clear = useCallback(() => setItems((all) => all.filter((u) => u.state === 'sending')), []);
  return { items, start, clear };
}
