import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '@nuage/ui';
import { DAY, HOUR, MINUTE, startOfDay } from '../dates.js';
import { columns, inAllDayRow, onDay } from '../placed.js';
import { dueOn } from '../todos.js';
import { dropTarget, EventChip } from './event-chip.js';
import { TodoChip, todoLabel } from './todo-chip.js';
import type { ViewProps } from './view-props.js';

/** Pixels per hour; the CSS uses the same number (--cal-hour). */
const HOUR_PX = 48;
const SNAP = 15 * MINUTE;

const snapped = (offsetY: number): number =>
  Math.max(0, Math.min(DAY - SNAP, Math.round(((offsetY / HOUR_PX) * HOUR) / SNAP) * SNAP));

/**
 * The week (7 days) and day (1 day) views: an all-day row over 24 hours of time slots. To-dos due on a
 * day sit in its all-day row, their due time in the label: a deadline is a moment, not a slot of time.
 */
export function TimeGrid({
  from,
  items,
  today,
  f,
  onOpen,
  onCreate,
  onMove,
  todos,
  onOpenTodo,
  onTick,
  days: count,
}: ViewProps & { days: number }): JSX.Element {
  const t = useT();
  const days = Array.from({ length: count }, (_, i) => from + i * DAY);
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Start the day at 07:00 rather than midnight.
    if (scroller.current) scroller.current.scrollTop = 7 * HOUR_PX;
  }, [from, count]);
  const allDay = items.filter(inAllDayRow);
  const timed = items.filter((p) => !inAllDayRow(p));
  return (
    <div class="cal-grid" style={{ '--cal-days': count }}>
      <div class="cal-grid__head">
        <div class="cal-grid__gutter" />
        {days.map((day) => (
          <div
            key={day}
            class={['cal-grid__dayname', day === startOfDay(today) ? 'cal-grid__dayname--today' : ''].join(
              ' ',
            )}
          >
            <span>{f.weekdayShort(day)}</span> <strong>{f.dayNumber(day)}</strong>
          </div>
        ))}
      </div>
      <div class="cal-grid__allday">
        <div class="cal-grid__gutter">{t('view.allDay')}</div>
        {days.map((day) => (
          <div
            key={day}
            class="cal-grid__allday-cell"
            onClick={() => onCreate(day, true)}
            {...dropTarget((key) => onMove(key, day))}
          >
            {allDay
              .filter((p) => onDay(p, day))
              .map((p) => (
                <EventChip key={p.o.key} p={p} label={p.o.summary} onOpen={onOpen} />
              ))}
            {todos
              .filter((p) => dueOn(p, day))
              .map((p) => (
                <TodoChip
                  key={p.todo._id}
                  p={p}
                  label={todoLabel(p, f, t('event.untitled'))}
                  onOpen={onOpenTodo}
                  onTick={onTick}
                />
              ))}
          </div>
        ))}
      </div>
      <div class="cal-grid__scroll" ref={scroller}>
        <div class="cal-grid__hours">
          {Array.from({ length: 24 }, (_, h) => (
            <div key={h} class="cal-grid__hour">
              {h === 0 ? '' : f.time(h * HOUR)}
            </div>
          ))}
        </div>
        {days.map((day) => (
          <div
            key={day}
            class="cal-grid__day"
            aria-label={f.dayLong(day)}
            onClick={(event) =>
              onCreate(
                day +
                  snapped((event as MouseEvent).offsetY - ((event as MouseEvent).offsetY % (HOUR_PX / 2))),
                false,
              )
            }
            {...dropTarget((key, event) => {
              const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
              onMove(key, day + snapped(event.clientY - box.top));
            })}
          >
            {columns(timed.filter((p) => onDay(p, day))).map(({ p, column, of }) => {
              const top = Math.max(0, p.startWall - day);
              const bottom = Math.min(DAY, Math.max(p.endWall, p.startWall + 30 * MINUTE) - day);
              return (
                <EventChip
                  key={p.o.key}
                  p={p}
                  class="cal-event--timed"
                  label={`${f.time(p.startWall)} ${p.o.summary}`}
                  onOpen={onOpen}
                  style={{
                    top: `${(top / HOUR) * HOUR_PX}px`,
                    height: `${((bottom - top) / HOUR) * HOUR_PX - 2}px`,
                    left: `${(column / of) * 100}%`,
                    width: `${100 / of}%`,
                  }}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
