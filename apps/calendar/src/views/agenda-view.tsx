import type { JSX } from 'preact';
import { EmptyState, useT } from '@nuage/ui';
import { DAY } from '../dates.js';
import { onDay } from '../placed.js';
import { dueOn } from '../todos.js';
import { EventChip } from './event-chip.js';
import { TodoChip } from './todo-chip.js';
import type { ViewProps } from './view-props.js';

/** The days ahead that have something, one list per day: its events, then the to-dos due that day. */
export function AgendaView({
  from,
  items,
  todos,
  f,
  onOpen,
  onOpenTodo,
  onTick,
  days: count,
}: ViewProps & { days: number }): JSX.Element {
  const t = useT();
  const days = Array.from({ length: count }, (_, i) => from + i * DAY)
    .map((day) => ({
      day,
      here: items.filter((p) => onDay(p, day)),
      due: todos.filter((p) => dueOn(p, day)),
    }))
    .filter((d) => d.here.length + d.due.length > 0);
  if (days.length === 0)
    return (
      <EmptyState icon="info" title={t('agenda.empty.title')}>
        {t('agenda.empty.text')}
      </EmptyState>
    );
  return (
    <div class="cal-agenda">
      {days.map(({ day, here, due }) => (
        <section key={day} class="cal-agenda__day">
          <h2 class="cal-agenda__date">{f.dayLong(day)}</h2>
          <ul class="cal-agenda__list">
            {here.map((p) => (
              <li key={p.o.key} class="cal-agenda__item">
                <span class="cal-agenda__time">
                  {p.o.allDay ? t('view.allDay') : `${f.time(p.startWall)} – ${f.time(p.endWall)}`}
                </span>
                <EventChip p={p} label={p.o.summary || t('event.untitled')} onOpen={onOpen} />
              </li>
            ))}
            {due.map((p) => (
              <li key={p.todo._id} class="cal-agenda__item">
                <span class="cal-agenda__time">
                  {p.allDay ? t('todo.due') : t('todo.dueOn', { when: f.time(p.wall) })}
                </span>
                <TodoChip
                  p={p}
                  label={p.todo.summary || t('event.untitled')}
                  onOpen={onOpenTodo}
                  onTick={onTick}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
