/** The document shapes this app reads and writes (docs/pim.md); `raw`/`rawHash` are the server's. */

/** `date` is `YYYY-MM-DD` (a whole day), `YYYY-MM-DDTHH:MM:SS` (wall clock in `tzid`, floating without) or `…Z`. */
export interface CalTime {
  date: string;
  tzid?: string;
}

export interface Alarm {
  action: string;
  /** A duration relative to the start (`-PT15M`) or a UTC time. */
  trigger: string;
  description?: string;
}

export interface CalendarFields {
  name: string;
  description?: string;
  color?: string;
  components?: string[];
  timezone?: string;
}

export interface EventFields {
  calendar?: string;
  uid?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: CalTime;
  end?: CalTime;
  duration?: string;
  rrule?: string;
  exdates?: CalTime[];
  status?: string;
  transp?: string;
  categories?: string[];
  alarms?: Alarm[];
  /** Derived by the server, read-only here. */
  allDay?: boolean;
  overrides?: { recurrenceId: CalTime; start?: CalTime; end?: CalTime; summary?: string; status?: string }[];
}

export interface TodoFields {
  calendar?: string;
  uid?: string;
  summary?: string;
  description?: string;
  start?: CalTime;
  due?: CalTime;
  /** COMPLETED, a UTC time (`…Z`). */
  completed?: CalTime;
  /** 1 (highest) to 9 (lowest); 0 or absent: none. */
  priority?: number;
  /** NEEDS-ACTION, COMPLETED, IN-PROCESS, CANCELLED. */
  status?: string;
  percentComplete?: number;
  /** CATEGORIES. */
  tags?: string[];
  rrule?: string;
  alarms?: Alarm[];
}

export const CALENDARS = 'io.nuage.calendars';
export const EVENTS = 'io.nuage.events';
export const TODOS = 'io.nuage.todos';
