import type { NuageClient } from '@nuage/client';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CalendarApi, CalendarDoc, EventDoc, TodoDoc } from './api.js';
import { CALENDARS, EVENTS, TODOS, type CalendarFields, type EventFields, type TodoFields } from './types.js';

export interface CalendarData {
  calendars: CalendarDoc[];
  events: EventDoc[];
  todos: TodoDoc[];
  loading: boolean;
  error: unknown;
  reload: () => Promise<void>;
}

/**
 * The owner's calendars, events and to-dos, kept current by realtime: subscribed before the first load so a
 * write in between arrives as an event, and reloaded whenever the socket opens again (events are only
 * delivered while connected). All of them are held in memory: a personal calendar is a few thousand.
 */
export function useCalendarData(api: CalendarApi, client: NuageClient, defaultName: string): CalendarData {
  const [calendars, setCalendars] = useState<CalendarDoc[]>([]);
  const [events, setEvents] = useState<EventDoc[]>([]);
  const [todos, setTodos] = useState<TodoDoc[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    try {
      const [cals, evs, tds] = await Promise.all([
        api.ensureCalendars(defaultName),
        api.listEvents(),
        api.listTodos(),
      ]);
      setCalendars(cals);
      setEvents(evs);
      setTodos(tds);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [api, defaultName]);

  useEffect(() => {
    const replace = <T extends { _id: string; _deleted?: boolean }>(list: T[], doc: T, kind: string): T[] => {
      const rest = list.filter((d) => d._id !== doc._id);
      return kind === 'DELETED' || doc._deleted || doc._id.startsWith('_design/') ? rest : [...rest, doc];
    };
    const stops = [
      client.realtime.subscribe<EventFields>(EVENTS, (event) =>
        setEvents((list) => replace(list, event.doc, event.kind)),
      ),
      client.realtime.subscribe<TodoFields>(TODOS, (event) =>
        setTodos((list) => replace(list, event.doc, event.kind)),
      ),
      client.realtime.subscribe<CalendarFields>(CALENDARS, (event) =>
        setCalendars((list) => replace(list, event.doc, event.kind)),
      ),
      client.realtime.onState((state) => {
        if (state === 'open') void reload();
      }),
    ];
    void reload();
    return () => stops.forEach((stop) => stop());
  }, [client, reload]);

  return { calendars, events, todos, loading, error, reload };
}
