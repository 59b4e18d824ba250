import type { Doc, NuageClient } from '@nuage/client';
import { useCallback, useEffect, useState } from 'preact/hooks';

/** What the `notify` worker stores (docs/jobs.md): reminders, job results, messages from apps. */
export interface NotificationFields {
  title: string;
  message: string | null;
  url: string | null;
  category: string | null;
  read: boolean;
  createdAt: string;
}

export type Notification = Doc<NotificationFields>;

export const NOTIFICATIONS = 'io.nuage.notifications';
/** The centre shows the latest ones; older ones stay in the data until deleted. */
const SHOWN = 100;

export interface NotificationsState {
  items: Notification[] | null;
  unread: number;
  markRead: (n: Notification) => Promise<void>;
  markAllRead: () => Promise<void>;
  remove: (n: Notification) => Promise<void>;
}

/**
 * The notifications, newest first, kept live: a notification written by a job while the Home is open
 * appears at once through realtime, and one read in another tab turns read here too.
 */
export function useNotifications(client: NuageClient, onError: (e: unknown) => void): NotificationsState {
  const [items, setItems] = useState<Notification[] | null>(null);
  const docs = client.documents<NotificationFields>(NOTIFICATIONS);

  const load = useCallback(() => {
    docs.all().then((result) => {
      const list = result.rows.flatMap((row) => ('doc' in row && row.doc ? [row.doc] : []));
      setItems(newestFirst(list).slice(0, SHOWN));
    }, onError);
    // `docs` and `onError` are rebuilt each render; the client is what matters.
  }, [client]);

  useEffect(() => {
    load();
    return client.realtime.subscribe<NotificationFields>(NOTIFICATIONS, (event) => {
      setItems((current) => {
        const rest = (current ?? []).filter((n) => n._id !== event.id);
        if (event.kind === 'DELETED') return rest;
        return newestFirst([event.doc, ...rest]).slice(0, SHOWN);
      });
    });
  }, [load]);

  const save = async (n: Notification) => {
    const written = await docs.update(n);
    setItems((current) => (current ?? []).map((x) => (x._id === n._id ? written : x)));
  };

  return {
    items,
    unread: (items ?? []).filter((n) => !n.read).length,
    markRead: (n) => (n.read ? Promise.resolve() : save({ ...n, read: true }).catch(onError)),
    markAllRead: async () => {
      const unread = (items ?? []).filter((n) => !n.read);
      if (unread.length === 0) return;
      try {
        await docs.bulk(unread.map((n) => ({ ...n, read: true })));
        load();
      } catch (error) {
        onError(error);
      }
    },
    remove: async (n) => {
      try {
        await docs.remove(n);
        setItems((current) => (current ?? []).filter((x) => x._id !== n._id));
      } catch (error) {
        onError(error);
      }
    },
  };
}

function newestFirst(list: Notification[]): Notification[] {
  return [...list].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}
