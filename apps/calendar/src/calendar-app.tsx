import type { NuageClient } from '@nuage/client';
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { AppShell, Button, Spinner, useT, useToast } from '@nuage/ui';
import { COLORS, type CalendarApi, type CalendarDoc } from './api.js';
import { CalendarDialog } from './calendar-dialog.js';
import { CalendarList } from './calendar-list.js';
import { startOfDay } from './dates.js';
import { deletionFor, draftOf, moved, newDraft, writesFor, type Draft, type Scope } from './edits.js';
import { EventDialog } from './event-dialog.js';
import { formats } from './format.js';
import { download, exportIcs, importIcs } from './import-export.js';
import { rangeOf, step, VIEWS, type View } from './navigation.js';
import { occurrencesOf, type Occurrence } from './occurrences.js';
import { place } from './placed.js';
import { fromWall, localZone, toWall } from './timezone.js';
import { useCalendarData } from './use-calendar.js';
import { useHidden } from './use-hidden.js';
import { AgendaView } from './views/agenda-view.js';
import { MonthView } from './views/month-view.js';
import { TimeGrid } from './views/time-grid.js';

export interface CalendarAppProps {
  api: CalendarApi;
  client: NuageClient;
  language: string;
}

type Editing =
  | { kind: 'new'; draft: Draft }
  | { kind: 'occurrence'; occurrence: Occurrence; draft: Draft }
  | { kind: 'calendar'; calendar: CalendarDoc | null };

const narrow = (): boolean => typeof matchMedia !== 'undefined' && matchMedia('(max-width: 640px)').matches;

/** The calendar: a toolbar, the list of calendars, and the month, week, day or agenda view. */
export function CalendarApp({ api, client, language }: CalendarAppProps): JSX.Element {
  const t = useT();
  const toast = useToast();
  const zone = useMemo(localZone, []);
  const f = useMemo(() => formats(language), [language]);
  const data = useCalendarData(api, client, t('calendars.default'));
  const [hidden, toggleHidden] = useHidden();
  const [view, setView] = useState<View>(() => (narrow() ? 'day' : 'week'));
  const [anchor, setAnchor] = useState(() => startOfDay(toWall(Date.now(), zone)));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [sidebar, setSidebar] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const byId = useMemo(() => new Map(data.calendars.map((c) => [c._id, c])), [data.calendars]);
  const range = rangeOf(view, anchor);
  const occurrences = useMemo(() => {
    const from = fromWall(range.from, zone);
    const to = fromWall(range.to, zone);
    return data.events
      .filter((e) => !hidden.has(e.calendar ?? ''))
      .flatMap((e) => occurrencesOf(e, from, to, byId.get(e.calendar ?? '')?.timezone ?? zone));
  }, [data.events, hidden, byId, range.from, range.to, zone]);
  const items = useMemo(
    () => place(occurrences, zone, (id) => byId.get(id ?? '')?.color?.slice(0, 7) ?? COLORS[0] ?? '#2f6fed'),
    [occurrences, zone, byId],
  );
  const firstCalendar = data.calendars.find((c) => !hidden.has(c._id)) ?? data.calendars[0];

  const failed = (error: unknown) =>
    toast.show(`${t('error.save')} ${(error as Error).message}`, { kind: 'error' });
  const guarded = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setEditing(null);
    } catch (error) {
      failed(error);
    }
  };

  const save = (draft: Draft, scope: Scope) =>
    guarded(async () => {
      const target = editing?.kind === 'occurrence' ? { occurrence: editing.occurrence, scope } : null;
      const docs = writesFor(draft, zone, target);
      if (docs) await api.writeEvents(docs);
      toast.show(t('event.saved'), { kind: 'success' });
    });
  const remove = (scope: Scope) =>
    guarded(async () => {
      if (editing?.kind !== 'occurrence') return;
      const change = deletionFor(editing.occurrence, scope);
      if ('update' in change) await api.writeEvents([change.update]);
      else await api.removeEvent(change.remove);
    });
  const move = (key: string, wall: number) => {
    const p = items.find((i) => i.o.key === key);
    if (!p) return;
    // A drop on a day (month view, all-day row) keeps the time of day; a drop on a slot sets it.
    const keepsTime = wall === startOfDay(wall) && !p.o.allDay;
    const target = fromWall(keepsTime ? wall + (p.startWall - startOfDay(p.startWall)) : wall, zone);
    if (p.o.event.rrule) {
      // A series asks whether to move this occurrence or all of them.
      setEditing({ kind: 'occurrence', occurrence: p.o, draft: draftOf(p.o, zone, target) });
      return;
    }
    void api.writeEvents([moved(p.o, target, zone)]).catch(failed);
  };
  const saveCalendar = (fields: CalendarDoc | Omit<CalendarDoc, '_id' | '_rev'>) =>
    guarded(() => ('_id' in fields ? api.calendars.update(fields) : api.calendars.create(fields)));
  const deleteCalendar = (calendar: CalendarDoc) =>
    guarded(async () => {
      if (!confirm(t('calendars.confirmDelete', { name: calendar.name })))
        throw new Error(t('common.cancelled'));
      const events = data.events.filter((e) => e.calendar === calendar._id);
      if (events.length)
        await api.events.bulk(events.map((e) => ({ _id: e._id, _rev: e._rev, _deleted: true as const })));
      await api.calendars.remove(calendar);
    });
  const onImport = async (file: File) => {
    if (!firstCalendar) return;
    try {
      const result = await importIcs(api, await file.text(), firstCalendar._id);
      toast.show(
        t('import.done', { added: result.added, existing: result.existing, failed: result.failed }),
        {
          kind: result.failed ? 'error' : 'success',
        },
      );
      await data.reload();
    } catch (error) {
      failed(error);
    }
  };
  const onExport = async () => {
    const shown = new Set(data.calendars.filter((c) => !hidden.has(c._id)).map((c) => c._id));
    try {
      download(await exportIcs(api, shown, t('app.name')), 'calendar.ics');
    } catch (error) {
      failed(error);
    }
  };

  const title =
    view === 'month'
      ? f.month(anchor)
      : view === 'day'
        ? f.dayLong(anchor)
        : f.range(range.from, range.to - 1);
  const viewProps = {
    from: range.from,
    items,
    today: toWall(Date.now(), zone),
    f,
    onOpen: (p: (typeof items)[number]) =>
      setEditing({ kind: 'occurrence', occurrence: p.o, draft: draftOf(p.o, zone) }),
    onCreate: (wall: number, allDay: boolean) =>
      firstCalendar && setEditing({ kind: 'new', draft: newDraft(wall, firstCalendar._id, allDay) }),
    onMove: move,
  };

  return (
    <AppShell
      appName={t('app.name')}
      instance={client.instance}
      actions={
        <>
          <Button
            variant="ghost"
            icon="upload"
            onClick={() => fileInput.current?.click()}
            aria-label={t('import.action')}
            title={t('import.action')}
          />
          <Button
            variant="ghost"
            icon="download"
            onClick={() => void onExport()}
            aria-label={t('export.action')}
            title={t('export.action')}
          />
        </>
      }
    >
      <input
        ref={fileInput}
        type="file"
        accept=".ics,text/calendar"
        hidden
        aria-label={t('import.file')}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) void onImport(file);
        }}
      />
      <div class={['cal-layout', sidebar ? 'cal-layout--sidebar' : ''].join(' ')}>
        <aside class="cal-sidebar">
          <CalendarList
            calendars={data.calendars}
            hidden={hidden}
            onToggle={toggleHidden}
            onEdit={(calendar) => setEditing({ kind: 'calendar', calendar })}
            onNew={() => setEditing({ kind: 'calendar', calendar: null })}
          />
        </aside>
        <section class="cal-main">
          <div class="cal-toolbar">
            <Button
              variant="ghost"
              class="cal-toolbar__calendars"
              icon="menu"
              aria-label={t('calendars.title')}
              aria-expanded={sidebar}
              onClick={() => setSidebar((s) => !s)}
            />
            <div class="cal-toolbar__nav">
              <Button
                variant="ghost"
                aria-label={t('nav.previous')}
                onClick={() => setAnchor(step(view, anchor, -1))}
              >
                ‹
              </Button>
              <Button onClick={() => setAnchor(startOfDay(toWall(Date.now(), zone)))}>
                {t('nav.today')}
              </Button>
              <Button
                variant="ghost"
                aria-label={t('nav.next')}
                onClick={() => setAnchor(step(view, anchor, 1))}
              >
                ›
              </Button>
            </div>
            <h2 class="cal-toolbar__title">{title}</h2>
            <div class="cal-toolbar__views" role="group" aria-label={t('view.label')}>
              {VIEWS.map((v) => (
                <Button
                  key={v}
                  variant={v === view ? 'primary' : 'ghost'}
                  aria-pressed={v === view}
                  onClick={() => setView(v)}
                >
                  {t(`view.${v}`)}
                </Button>
              ))}
            </div>
            <Button
              variant="primary"
              icon="plus"
              disabled={!firstCalendar}
              onClick={() =>
                firstCalendar &&
                setEditing({ kind: 'new', draft: newDraft(anchor + 9 * 3_600_000, firstCalendar._id) })
              }
            >
              {t('event.new')}
            </Button>
          </div>
          <div class="cal-view">
            {data.loading ? (
              <Spinner />
            ) : view === 'month' ? (
              <MonthView {...viewProps} />
            ) : view === 'agenda' ? (
              <AgendaView {...viewProps} days={30} />
            ) : (
              <TimeGrid {...viewProps} days={view === 'week' ? 7 : 1} />
            )}
          </div>
        </section>
      </div>
      {editing?.kind === 'new' || editing?.kind === 'occurrence' ? (
        <EventDialog
          initial={editing.draft}
          existing={editing.kind === 'occurrence'}
          series={editing.kind === 'occurrence' && !!editing.occurrence.event.rrule}
          readOnly={editing.kind === 'occurrence' && editing.occurrence.overridden}
          calendars={data.calendars}
          zone={zone}
          onSave={save}
          onDelete={remove}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {editing?.kind === 'calendar' ? (
        <CalendarDialog
          calendar={editing.calendar}
          onSave={(fields) => saveCalendar(editing.calendar ? { ...editing.calendar, ...fields } : fields)}
          onDelete={() => (editing.calendar ? deleteCalendar(editing.calendar) : Promise.resolve())}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </AppShell>
  );
}
