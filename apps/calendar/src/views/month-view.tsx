import type { JSX } from 'preact';
import { useT } from '@nuage/ui';
import { DAY, HOUR, startOfDay, startOfWeek } from '../dates.js';
import { onDay, type Placed } from '../placed.js';
import { dueOn } from '../todos.js';
import { dropTarget, EventChip } from './event-chip.js';
import { TodoChip, todoLabel } from './todo-chip.js';
import type { ViewProps } from './view-props.js';

const SHOWN = 3;

/**
 * Six weeks from the Monday before the month's first day; a cell shows three events or to-dos due that
 * day (events first) and a count of the rest.
 */
export function MonthView(props: ViewProps): JSX.Element {
  const { from, items, today, f, onOpen, onCreate, onMove } = props;
  const t = useT();
  const first = startOfWeek(from);
  const month = new Date(from).getUTCMonth();
  const days = Array.from({ length: 42 }, (_, i) => first + i * DAY);
  const label = (p: Placed) => (p.o.allDay ? p.o.summary : `${f.time(p.startWall)} ${p.o.summary}`);
  return (
    <div class="cal-month" role="grid" aria-label={f.month(from)}>
      <div class="cal-month__head" role="row">
        {days.slice(0, 7).map((d) => (
          <div key={d} class="cal-month__weekday" role="columnheader">
            {f.weekdayShort(d)}
          </div>
        ))}
      </div>
      <div class="cal-month__body">
        {days.map((day) => {
          const here = items.filter((p) => onDay(p, day));
          const due = props.todos.filter((p) => dueOn(p, day));
          const todosShown = due.slice(0, Math.max(0, SHOWN - here.length));
          const more = here.length + due.length - Math.min(here.length, SHOWN) - todosShown.length;
          const classes = [
            'cal-month__cell',
            new Date(day).getUTCMonth() !== month ? 'cal-month__cell--other' : '',
            day === startOfDay(today) ? 'cal-month__cell--today' : '',
          ];
          return (
            <div
              key={day}
              class={classes.filter(Boolean).join(' ')}
              role="gridcell"
              aria-label={f.dayLong(day)}
              onClick={() => onCreate(day + 9 * HOUR, false)}
              {...dropTarget((key) => onMove(key, day))}
            >
              <span class="cal-month__day">{f.dayNumber(day)}</span>
              {here.slice(0, SHOWN).map((p) => (
                <EventChip key={p.o.key} p={p} label={label(p)} onOpen={onOpen} />
              ))}
              {todosShown.map((p) => (
                <TodoChip
                  key={p.todo._id}
                  p={p}
                  label={todoLabel(p, f, t('event.untitled'))}
                  onOpen={props.onOpenTodo}
                  onTick={props.onTick}
                />
              ))}
              {more > 0 ? <span class="cal-month__more">{t('view.more', { count: more })}</span> : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
