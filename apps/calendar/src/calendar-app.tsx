import type { NuageClient } from '@nuage/client';
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { AppShell, Button, Spinner, useT, useToast } from '@nuage/ui';
import { COLORS, type CalendarApi, type CalendarDoc, type TodoDoc } from './api.js';
import { CalendarDialog } from './calendar-dialog.js';
import { CalendarList } from './calendar-list.js';
import { startOfDay } from './dates.js';
import { deletionFor, draftOf, moved, newDraft, writesFor, type Draft, type Scope } from './edits.js';
import { EventDialog } from './event-dialog.js';
import { formats } from './format.js';
import { download, exportIcs, importIcs } from './import-export.js';
import { rangeOf, step, type View } from './navigation.js';
import { occurrencesOf, type Occurrence } from './occurrences.js';
import { place } from './placed.js';
import { fromWall, localZone, toWall } from './timezone.js';
import { TodoDialog } from './todo-dialog.js';
import { TodoList } from './todo-list.js';
import { holdsTodos, newTodoDraft, ticked, todoDraftOf, todoWriteFor, type TodoDraft } from './todos.js';
import { Toolbar, type Mode } from './toolbar.js';
import { useCalendarData } from './use-calendar.js';
import { useHidden } from './use-hidden.js';
import { useTodoView } from './use-todo-view.js';
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
  | { kind: 'calendar'; calendar: CalendarDoc | null }
  | { kind: 'todo'; todo: TodoDoc | null; draft: TodoDraft };

const narrow = (): boolean => typeof matchMedia !== 'undefined' && matchMedia('(max-width: 640px)').matches;

/**
 * The calendar: a toolbar, the list of calendars, and the month, week, day or agenda view, with the
 * to-dos due in it; or the to-do lists.
 */
export function CalendarApp({ api, client, language }: CalendarAppProps): JSX.Element {
  const t = useT();
  const toast = useToast();
  const zone = useMemo(localZone, []);
  const f = useMemo(() => formats(language), [language]);
  const data = useCalendarData(api, client, t('calendars.default'));
  const [hidden, toggleHidden] = useHidden();
  const [view, setView] = useState<View>(() => (narrow() ? 'day' : 'week'));
  const [showTodos, setShowTodos] = useState(false);
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
  const colorOf = (id: string | undefined) =>
    byId.get(id ?? '')?.color?.slice(0, 7) ?? COLORS[0] ?? '#2f6fed';
  const floatingZoneOf = (id: string | undefined) => byId.get(id ?? '')?.timezone ?? zone;
  // colorOf reads `byId` only.
  const items = useMemo(() => place(occurrences, zone, colorOf), [occurrences, zone, byId]);
  const todos = useTodoView(data.todos, byId, hidden, range, zone, colorOf);
  const firstCalendar = data.calendars.find((c) => !hidden.has(c._id)) ?? data.calendars[0];
  const firstTodoCalendar =
    data.calendars.find((c) => holdsTodos(c) && !hidden.has(c._id)) ?? data.calendars.find(holdsTodos);

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
  const editTodo = (todo: TodoDoc) =>
    setEditing({ kind: 'todo', todo, draft: todoDraftOf(todo, zone, floatingZoneOf(todo.calendar)) });
  const newTodo = (calendar = firstTodoCalendar?._id) =>
    calendar && setEditing({ kind: 'todo', todo: null, draft: newTodoDraft(calendar) });
  const saveTodo = (draft: TodoDraft) =>
    guarded(async () => {
      const previous = editing?.kind === 'todo' ? editing.todo : null;
      await api.writeTodo(todoWriteFor(draft, zone, previous, floatingZoneOf(previous?.calendar)));
      toast.show(t('todo.saved'), { kind: 'success' });
    });
  const removeTodo = () =>
    guarded(async () => {
      if (editing?.kind === 'todo' && editing.todo) await api.removeTodo(editing.todo);
    });
  // A tick is written at once; realtime then brings the new revision back to every open view.
  const tick = (todo: TodoDoc, done: boolean) =>
    void api.writeTodo(ticked(todo, done, Date.now())).catch(failed);
  const saveCalendar = (fields: CalendarDoc | Omit<CalendarDoc, '_id' | '_rev'>) =>
    guarded(() => ('_id' in fields ? api.calendars.update(fields) : api.calendars.create(fields)));
  const deleteCalendar = (calendar: CalendarDoc) =>
    guarded(async () => {
      if (!confirm(t('calendars.confirmDelete', { name: calendar.name })))
        throw new Error(t('common.cancelled'));
      await api.removeCalendar(calendar, data.events, data.todos);
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

  const title = showTodos
    ? t('todos.title')
    : view === 'month'
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
    todos: todos.placed,
    onOpenTodo: editTodo,
    onTick: tick,
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
          <Toolbar
            mode={showTodos ? 'todos' : view}
            title={title}
            sidebar={sidebar}
            onSidebar={() => setSidebar((open) => !open)}
            onStep={(direction) => setAnchor(step(view, anchor, direction))}
            onToday={() => setAnchor(startOfDay(toWall(Date.now(), zone)))}
            onMode={(mode: Mode) => {
              setShowTodos(mode === 'todos');
              if (mode !== 'todos') setView(mode);
            }}
            onNew={() =>
              showTodos
                ? newTodo()
                : firstCalendar &&
                  setEditing({ kind: 'new', draft: newDraft(anchor + 9 * 3_600_000, firstCalendar._id) })
            }
            canCreate={showTodos ? !!firstTodoCalendar : !!firstCalendar}
          />
          <div class="cal-view">
            {data.loading ? (
              <Spinner />
            ) : showTodos ? (
              <TodoList
                calendars={data.calendars.filter((c) => !hidden.has(c._id))}
                todos={todos.list}
                zone={zone}
                f={f}
                hideCompleted={todos.hideCompleted}
                onHideCompleted={todos.setHideCompleted}
                onOpen={editTodo}
                onTick={tick}
                onNew={(calendar) => newTodo(calendar)}
              />
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
      {editing?.kind === 'todo' ? (
        <TodoDialog
          initial={editing.draft}
          existing={!!editing.todo}
          calendars={data.calendars.filter((c) => holdsTodos(c) || c._id === editing.draft.calendar)}
          onSave={saveTodo}
          onDelete={removeTodo}
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
