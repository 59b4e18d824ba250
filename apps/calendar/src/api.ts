import { NuageError, type BulkResult, type Doc, type Documents, type NuageClient } from '@nuage/client';
import { localZone } from './timezone.js';
import { CALENDARS, EVENTS, TODOS, type CalendarFields, type EventFields, type TodoFields } from './types.js';

export type CalendarDoc = Doc<CalendarFields>;
export type EventDoc = Doc<EventFields>;
export type TodoDoc = Doc<TodoFields>;

/** Colours offered for new calendars (readable on white and on the dark theme). */
export const COLORS = [
  '#2f6fed',
  '#d9483b',
  '#1e8a4c',
  '#b5651d',
  '#8e44ad',
  '#00838f',
  '#c2185b',
  '#5d6577',
];

/** The id CalDAV gives the default calendar (server/src/edges/pimdav/context.ts): one name for both. */
const DEFAULT_CALENDAR_ID = 'calendar';

const isDesign = (id: string): boolean => id.startsWith('_design/');

/** The app's reads and writes of calendars, events and todos through the instance's /data API. */
export class CalendarApi {
  readonly calendars: Documents<CalendarFields>;
  readonly events: Documents<EventFields>;
  readonly todos: Documents<TodoFields>;

  constructor(readonly client: NuageClient) {
    this.calendars = client.documents<CalendarFields>(CALENDARS);
    this.events = client.documents<EventFields>(EVENTS);
    this.todos = client.documents<TodoFields>(TODOS);
  }

  async listCalendars(): Promise<CalendarDoc[]> {
    return docsOf(await this.calendars.all());
  }

  /**
   * The owner's calendars, making the default one when there is none, with the id and name CalDAV would
   * give it, so a phone that syncs later finds this one instead of making a second.
   */
  async ensureCalendars(defaultName: string): Promise<CalendarDoc[]> {
    const list = await this.listCalendars();
    if (list.length > 0) return list;
    try {
      await this.calendars.create({
        _id: DEFAULT_CALENDAR_ID,
        name: defaultName,
        color: COLORS[0],
        components: ['VEVENT', 'VTODO'],
        timezone: localZone(),
      });
    } catch (error) {
      if (!(error instanceof NuageError && error.code === 'conflict')) throw error;
    }
    return this.listCalendars();
  }

  async listEvents(): Promise<EventDoc[]> {
    return docsOf(await this.events.all());
  }

  async listTodos(): Promise<TodoDoc[]> {
    return docsOf(await this.todos.all());
  }

  /** Writes several events at once (an edit of one occurrence writes the series and a new event). */
  async writeEvents(docs: (EventFields | EventDoc)[]): Promise<BulkResult[]> {
    const results = await this.events.bulk(docs);
    const failed = results.find((r) => 'error' in r);
    if (failed && 'error' in failed)
      throw new NuageError(409, failed.error, failed.reason, failed.reason, failed);
    return results;
  }

  removeEvent(doc: EventDoc): Promise<unknown> {
    return this.events.remove(doc);
  }

  /** Deletes a calendar after its events and to-dos (of those given), so none is left without it. */
  async removeCalendar(calendar: CalendarDoc, events: EventDoc[], todos: TodoDoc[]): Promise<void> {
    const members = <T extends { calendar?: string }>(list: Doc<T>[]) =>
      list
        .filter((d) => d.calendar === calendar._id)
        .map((d) => ({ _id: d._id, _rev: d._rev, _deleted: true as const }));
    const [ownEvents, ownTodos] = [members(events), members(todos)];
    if (ownEvents.length) await this.events.bulk(ownEvents);
    if (ownTodos.length) await this.todos.bulk(ownTodos);
    await this.calendars.remove(calendar);
  }

  /** Creates a to-do, or writes a new revision of one read before. */
  writeTodo(doc: TodoFields | TodoDoc): Promise<TodoDoc> {
    return '_rev' in doc ? this.todos.update(doc) : this.todos.create(doc);
  }

  removeTodo(doc: TodoDoc): Promise<unknown> {
    return this.todos.remove(doc);
  }
}

function docsOf<T extends object>(result: { rows: { id: string; doc?: Doc<T> | null }[] }): Doc<T>[] {
  return result.rows.flatMap((row) => (row.doc && !isDesign(row.id) && !row.doc._deleted ? [row.doc] : []));
}
