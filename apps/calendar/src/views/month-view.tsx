import type { JSX } from 'preact';
import { useT } from '@nuage/ui';
import { DAY, HOUR, startOfDay, startOfWeek } from '../dates.js';
import { onDay, type Placed } from '../placed.js';
import { dropTarget, EventChip } from './event-chip.js';
import type { ViewProps } from './view-props.js';

const SHOWN = 3;

/** Six weeks from the Monday before the month's first day; a cell shows three events and a count. */
export function MonthView({ from, items, today, f, onOpen, onCreate, onMove }: ViewProps): JSX.Element {
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
              {here.length > SHOWN ? (
                <span class="cal-month__more">{t('view.more', { count: here.length - SHOWN })}</span>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
