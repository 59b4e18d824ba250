import type { BulkResult } from '@nuage/client';
import type { CalendarApi } from './api.js';
import { parseIcs } from './ics-parse.js';
import { writeIcs } from './ics-write.js';
import type { EventFields, TodoFields } from './types.js';

export interface ImportResult {
  added: number;
  /** Already there from an earlier import of the same file (same UID). */
  existing: number;
  failed: number;
}

/** A document id from a UID when it is a plain name, so importing a file twice adds nothing twice. */
function idOf(uid: string | undefined): string | undefined {
  if (!uid) return undefined;
  const id = `ics-${uid}`;
  return /^[A-Za-z0-9][A-Za-z0-9@._~+-]{0,199}$/.test(id) ? id : undefined;
}

function tally(results: BulkResult[], into: ImportResult): void {
  for (const r of results) {
    if (!('error' in r)) into.added++;
    else if (r.error === 'conflict') into.existing++;
    else into.failed++;
  }
}

/** Reads an .ics file and writes its events and todos into `calendar` with `_bulk_docs`, 200 at a time. */
export async function importIcs(api: CalendarApi, text: string, calendar: string): Promise<ImportResult> {
  const parsed = parseIcs(text);
  const result: ImportResult = { added: 0, existing: 0, failed: parsed.skipped };
  const withIds = <T extends { uid?: string }>(docs: T[]) =>
    docs.map((d) => {
      const id = idOf(d.uid);
      return { ...d, calendar, ...(id ? { _id: id } : {}) };
    });
  const events = withIds<EventFields>(parsed.events);
  const todos = withIds<TodoFields>(parsed.todos);
  for (let i = 0; i < events.length; i += 200) tally(await api.events.bulk(events.slice(i, i + 200)), result);
  for (let i = 0; i < todos.length; i += 200) tally(await api.todos.bulk(todos.slice(i, i + 200)), result);
  return result;
}

/** The events and todos of `calendars` as one .ics file. */
export async function exportIcs(
  api: CalendarApi,
  calendars: ReadonlySet<string>,
  name: string,
): Promise<Blob> {
  const [events, todos] = await Promise.all([api.listEvents(), api.listTodos()]);
  const mine = <T extends { calendar?: string }>(list: T[]) =>
    list.filter((d) => calendars.has(d.calendar ?? ''));
  const text = writeIcs(mine(events), mine(todos), { name, now: Date.now() });
  return new Blob([text], { type: 'text/calendar;charset=utf-8' });
}

/** Offers a Blob as a file download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
