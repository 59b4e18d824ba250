import { describe, expect, it } from 'vitest';
import { inTimeRange, matchesCalendarFilter } from '../../src/pim/filters.js';
import { busyPeriods, freeBusyCalendar } from '../../src/pim/free-busy.js';
import { loadIcal } from '../../src/pim/ical.js';
import { parseCalendarObject } from '../../src/pim/icalendar.js';
import { instancesOf } from '../../src/pim/recurrence.js';
import { ALL_DAY, event, FLOATING, NEW_YORK_NO_VTIMEZONE, todo, TODO_DUE, WEEKLY_PARIS } from './fixtures.js';

const ical = await loadIcal();
const parse = (text: string) => parseCalendarObject(ical, text);
const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('recurrence expansion', () => {
  it('expands a weekly Paris meeting across DST, without the EXDATE and with the override moved', () => {
    const starts = [...instancesOf(ical, parse(WEEKLY_PARIS))].map((i) => [iso(i.start), iso(i.end)]).sort();
    expect(starts).toEqual([
      ['2026-03-16T08:00:00.000Z', '2026-03-16T09:00:00.000Z'], // CET, UTC+1
      ['2026-03-30T12:00:00.000Z', '2026-03-30T13:00:00.000Z'], // the override, 14:00 CEST
      ['2026-04-06T07:00:00.000Z', '2026-04-06T08:00:00.000Z'], // CEST, UTC+2
      ['2026-04-13T07:00:00.000Z', '2026-04-13T08:00:00.000Z'],
    ]);
  });

  it('stops expanding an endless rule at the end of the range asked about', () => {
    const daily = parse(event('daily', ['DTSTART:20200101T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY']));
    const until = Date.parse('2020-01-11T00:00:00Z');
    expect([...instancesOf(ical, daily, until)]).toHaveLength(10);
  });
});

describe('calendar-query time ranges (RFC 4791 9.9)', () => {
  const weekly = parse(WEEKLY_PARIS);

  it('finds a recurring event by an occurrence, and not by an excluded or moved one', () => {
    expect(inTimeRange(ical, weekly, range('2026-04-13T07:30:00Z', '2026-04-13T07:45:00Z'))).toBe(true);
    expect(inTimeRange(ical, weekly, range('2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z'))).toBe(false);
    expect(inTimeRange(ical, weekly, range('2026-03-30T07:00:00Z', '2026-03-30T08:00:00Z'))).toBe(false);
    expect(inTimeRange(ical, weekly, range('2026-03-30T12:30:00Z', '2026-03-30T12:31:00Z'))).toBe(true);
    expect(inTimeRange(ical, weekly, range('2026-04-14T00:00:00Z', '2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('treats an event ending when the range starts as outside it', () => {
    expect(inTimeRange(ical, weekly, range('2026-03-16T09:00:00Z', '2026-03-16T10:00:00Z'))).toBe(false);
    expect(inTimeRange(ical, weekly, range('2026-03-16T07:00:00Z', '2026-03-16T08:00:00Z'))).toBe(false);
  });

  it('reads an all-day event as its whole day, and floating times in the calendar zone', () => {
    const allDay = parse(ALL_DAY);
    expect(inTimeRange(ical, allDay, range('2026-04-01T23:00:00Z', '2026-04-02T01:00:00Z'))).toBe(true);
    expect(inTimeRange(ical, allDay, range('2026-04-02T00:00:00Z', '2026-04-03T00:00:00Z'))).toBe(false);
    const lunch = parse(FLOATING);
    const utcNoon = range('2026-04-02T12:15:00Z', '2026-04-02T12:30:00Z');
    expect(inTimeRange(ical, lunch, utcNoon)).toBe(true);
    expect(inTimeRange(ical, lunch, utcNoon, 'Europe/Paris')).toBe(false);
    expect(
      inTimeRange(ical, lunch, range('2026-04-02T10:15:00Z', '2026-04-02T10:30:00Z'), 'Europe/Paris'),
    ).toBe(true);
  });

  it('reads a TZID without VTIMEZONE with the zone database', () => {
    const ny = parse(NEW_YORK_NO_VTIMEZONE);
    expect(inTimeRange(ical, ny, range('2026-04-02T13:30:00Z', '2026-04-02T13:45:00Z'))).toBe(true);
    expect(inTimeRange(ical, ny, range('2026-04-02T09:00:00Z', '2026-04-02T10:00:00Z'))).toBe(false);
  });

  it('matches a zero-length event only when the range holds its start', () => {
    const instant = parse(event('z', ['DTSTART:20260402T100000Z']));
    expect(inTimeRange(ical, instant, range('2026-04-02T10:00:00Z', '2026-04-02T11:00:00Z'))).toBe(true);
    expect(inTimeRange(ical, instant, range('2026-04-02T09:00:00Z', '2026-04-02T10:00:00Z'))).toBe(false);
  });

  it('applies the VTODO table: due only, start and due, completed, and none', () => {
    const due = parse(TODO_DUE);
    expect(inTimeRange(ical, due, range('2026-04-03T08:00:00Z', '2026-04-03T09:00:00Z'))).toBe(true);
    expect(inTimeRange(ical, due, range('2026-04-03T09:00:00Z', '2026-04-03T10:00:00Z'))).toBe(false);
    const span = parse(todo('t2', ['DTSTART:20260401T000000Z', 'DUE:20260410T000000Z']));
    expect(inTimeRange(ical, span, range('2026-04-05T00:00:00Z', '2026-04-06T00:00:00Z'))).toBe(true);
    expect(inTimeRange(ical, span, range('2026-04-11T00:00:00Z', '2026-04-12T00:00:00Z'))).toBe(false);
    const done = parse(todo('t3', ['COMPLETED:20260405T120000Z']));
    expect(inTimeRange(ical, done, range('2026-04-05T00:00:00Z', '2026-04-06T00:00:00Z'))).toBe(true);
    expect(inTimeRange(ical, done, range('2026-04-06T00:00:00Z', '2026-04-07T00:00:00Z'))).toBe(false);
    expect(
      inTimeRange(
        ical,
        parse(todo('t4', ['SUMMARY:Someday'])),
        range('2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z'),
      ),
    ).toBe(true);
  });

  it('expands a recurring todo, its due moving with each occurrence', () => {
    const weekly = parse(
      todo('t5', ['DTSTART:20260406T080000Z', 'DUE:20260406T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=3']),
    );
    expect(inTimeRange(ical, weekly, range('2026-04-20T09:00:00Z', '2026-04-20T09:30:00Z'))).toBe(true);
    expect(inTimeRange(ical, weekly, range('2026-04-27T09:00:00Z', '2026-04-27T09:30:00Z'))).toBe(false);
  });

  it('checks the component type and prop-filters before the range', () => {
    const filter = {
      component: 'VEVENT' as const,
      props: [{ name: 'SUMMARY', textMatches: [{ text: 'MEETING' }] }],
    };
    expect(matchesCalendarFilter(ical, weekly, filter)).toBe(true);
    expect(matchesCalendarFilter(ical, weekly, { ...filter, component: 'VTODO' })).toBe(false);
    expect(
      matchesCalendarFilter(ical, weekly, {
        ...filter,
        props: [{ name: 'SUMMARY', textMatches: [{ text: 'lunch' }] }],
      }),
    ).toBe(false);
    expect(
      matchesCalendarFilter(ical, weekly, {
        component: 'VEVENT',
        props: [{ name: 'RRULE', isNotDefined: true }],
      }),
    ).toBe(false);
  });
});

describe('free-busy (RFC 4791 7.10)', () => {
  it('lists busy time of opaque events, tentative apart, clipped, merged, and skips transparent ones', () => {
    const objects = [
      WEEKLY_PARIS,
      ALL_DAY,
      FLOATING,
      event('o', ['DTSTART:20260406T073000Z', 'DTEND:20260406T083000Z']),
      event('c', ['DTSTART:20260407T080000Z', 'DTEND:20260407T090000Z', 'STATUS:CANCELLED']),
    ].map(parse);
    const periods = busyPeriods(ical, objects, range('2026-03-30T00:00:00Z', '2026-04-06T07:45:00Z'));
    expect(periods.map((p) => [p.type, p.start.toISOString(), p.end.toISOString()])).toEqual([
      ['BUSY', '2026-03-30T12:00:00.000Z', '2026-03-30T13:00:00.000Z'],
      ['BUSY-TENTATIVE', '2026-04-02T12:00:00.000Z', '2026-04-02T13:00:00.000Z'],
      ['BUSY', '2026-04-06T07:00:00.000Z', '2026-04-06T07:45:00.000Z'],
    ]);
    const text = freeBusyCalendar(periods, range('2026-03-30T00:00:00Z', '2026-04-06T07:45:00Z'), {
      prodId: '-//Nuage//EN',
      now: new Date('2026-03-01T00:00:00Z'),
    });
    expect(text).toContain('FREEBUSY;FBTYPE=BUSY:20260330T120000Z/20260330T130000Z\r\n');
    expect(text).toContain('DTSTART:20260330T000000Z\r\nDTEND:20260406T074500Z\r\n');
  });
});

describe('long series', () => {
  const standup = parse(
    event('standup', [
      'DTSTART;TZID=Europe/Paris:20180105T093000',
      'DTEND;TZID=Europe/Paris:20180105T094500',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR',
      'EXDATE;TZID=Europe/Paris:20260408T093000',
    ]).replace(
      'BEGIN:VEVENT',
      WEEKLY_PARIS.slice(WEEKLY_PARIS.indexOf('BEGIN:VTIMEZONE'), WEEKLY_PARIS.indexOf('BEGIN:VEVENT')) +
        'BEGIN:VEVENT',
    ),
  );

  it('skips ahead in a years-long series and finds the same instances as walking it all', () => {
    const from = Date.parse('2026-04-01T00:00:00Z');
    const until = Date.parse('2026-04-15T00:00:00Z');
    const starts = (skip: boolean) =>
      [...instancesOf(ical, standup, until, undefined, skip ? from : undefined)]
        .filter((i) => (i.end ?? 0) > from)
        .map((i) => iso(i.start));
    expect(starts(true)).toEqual(starts(false));
    expect(starts(true)).toEqual([
      '2026-04-01T07:30:00.000Z',
      '2026-04-03T07:30:00.000Z',
      '2026-04-06T07:30:00.000Z',
      '2026-04-10T07:30:00.000Z',
      '2026-04-13T07:30:00.000Z',
    ]);
  });

  it('keeps a plain weekly series (no BYDAY) on its first weekday when it skips years ahead', () => {
    for (const [first, rule] of [
      ['20260105T080000Z', 'FREQ=WEEKLY'],
      ['20190312T180000Z', 'FREQ=WEEKLY;INTERVAL=2'],
    ] as const) {
      const starts = (skip: boolean) => {
        const series = parse(event('plain', [`DTSTART:${first}`, 'DURATION:PT1H', `RRULE:${rule}`]));
        const from = Date.parse('2031-06-01T00:00:00Z');
        return [
          ...instancesOf(
            ical,
            series,
            Date.parse('2031-07-01T00:00:00Z'),
            undefined,
            skip ? from : undefined,
          ),
        ]
          .filter((i) => (i.end ?? 0) > from)
          .map((i) => iso(i.start));
      };
      const walked = starts(false);
      expect(walked.length).toBeGreaterThan(1);
      expect(starts(true)).toEqual(walked);
      const weekday = new Date(
        Date.parse(`${first.slice(0, 4)}-${first.slice(4, 6)}-${first.slice(6, 8)}`),
      ).getUTCDay();
      for (const start of walked) expect(new Date(start ?? '').getUTCDay()).toBe(weekday);
    }
  });

  it('does not skip a series whose first day is not one of its BYDAY days', () => {
    const odd = parse(
      event('odd', ['DTSTART:20180101T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;BYDAY=TU']),
    );
    expect(inTimeRange(ical, odd, range('2026-04-06T00:00:00Z', '2026-04-07T00:00:00Z'))).toBe(false);
    expect(inTimeRange(ical, odd, range('2026-04-07T00:00:00Z', '2026-04-08T00:00:00Z'))).toBe(true);
  });
});
