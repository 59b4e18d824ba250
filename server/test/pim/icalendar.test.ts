import { describe, expect, it } from 'vitest';
import { PimPrecondition } from '../../src/errors.js';
import { loadIcal } from '../../src/pim/ical.js';
import {
  calendarFieldsOf,
  newCalendarObject,
  parseCalendarObject,
  patchCalendarObject,
} from '../../src/pim/icalendar.js';
import { ALL_DAY, event, TODO_DUE, WEEKLY_PARIS } from './fixtures.js';

const ical = await loadIcal();

function conditionOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof PimPrecondition) return error.condition.name;
    throw error;
  }
  return undefined;
}

describe('iCalendar to structured fields', () => {
  it('reads a recurring event with its zone, rule, exception, override, attendees and alarm', () => {
    const fields = calendarFieldsOf(parseCalendarObject(ical, WEEKLY_PARIS));
    expect(fields).toEqual({
      uid: 'weekly-1@example.com',
      summary: 'Team meeting',
      location: 'Room 4',
      start: { date: '2026-03-16T09:00:00', tzid: 'Europe/Paris' },
      end: { date: '2026-03-16T10:00:00', tzid: 'Europe/Paris' },
      rrule: 'FREQ=WEEKLY;COUNT=5',
      exdates: [{ date: '2026-03-23T09:00:00', tzid: 'Europe/Paris' }],
      organizer: { email: 'jean@example.com', name: 'Jean Dupont' },
      attendees: [
        { email: 'amelie@example.org', name: 'Amélie', role: 'REQ-PARTICIPANT', partstat: 'ACCEPTED' },
        { email: 'zoe@example.net', name: 'Zoë', partstat: 'NEEDS-ACTION', rsvp: true },
      ],
      alarms: [{ action: 'DISPLAY', trigger: '-PT15M', description: 'Reminder' }],
      overrides: [
        {
          recurrenceId: { date: '2026-03-30T09:00:00', tzid: 'Europe/Paris' },
          start: { date: '2026-03-30T14:00:00', tzid: 'Europe/Paris' },
          end: { date: '2026-03-30T15:00:00', tzid: 'Europe/Paris' },
          summary: 'Team meeting (moved)',
        },
      ],
    });
  });

  it('reads an all-day event and a todo', () => {
    expect(calendarFieldsOf(parseCalendarObject(ical, ALL_DAY))).toMatchObject({
      start: { date: '2026-04-01' },
      end: { date: '2026-04-02' },
      allDay: true,
      transp: 'TRANSPARENT',
    });
    expect(calendarFieldsOf(parseCalendarObject(ical, TODO_DUE))).toEqual({
      uid: 'todo-1@example.com',
      summary: 'File taxes',
      due: { date: '2026-04-03T09:00:00Z' },
      priority: 1,
      status: 'NEEDS-ACTION',
      tags: ['admin', 'home'],
    });
  });

  it('refuses what RFC 4791 4.1 forbids, naming the CalDAV precondition', () => {
    expect(conditionOf(() => parseCalendarObject(ical, 'BEGIN:VCALENDAR\r\nnonsense'))).toBe(
      'valid-calendar-data',
    );
    expect(conditionOf(() => parseCalendarObject(ical, event('', ['DTSTART:20260101T100000Z'])))).toBe(
      'valid-calendar-data',
    );
    const twoUids = WEEKLY_PARIS.replace(
      'UID:weekly-1@example.com\r\nDTSTAMP:20260301T090000Z\r\nRECURRENCE',
      'UID:other\r\nDTSTAMP:20260301T090000Z\r\nRECURRENCE',
    );
    expect(conditionOf(() => parseCalendarObject(ical, twoUids))).toBe('valid-calendar-object-resource');
    const mixed = TODO_DUE.replace(
      'END:VCALENDAR',
      'BEGIN:VEVENT\r\nUID:todo-1@example.com\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR',
    );
    expect(conditionOf(() => parseCalendarObject(ical, mixed))).toBe('valid-calendar-object-resource');
    expect(
      conditionOf(() =>
        parseCalendarObject(ical, ALL_DAY.replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST')),
      ),
    ).toBe('valid-calendar-object-resource');
    expect(conditionOf(() => parseCalendarObject(ical, TODO_DUE, ['VEVENT']))).toBe(
      'supported-calendar-component',
    );
    const journal =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VJOURNAL\r\nUID:j\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n';
    expect(conditionOf(() => parseCalendarObject(ical, journal))).toBe('supported-calendar-component');
  });
});

describe('structured fields back into iCalendar', () => {
  it('patches a changed summary and start into the master only, keeping unknown properties and the override', () => {
    const object = parseCalendarObject(ical, WEEKLY_PARIS);
    const fields = calendarFieldsOf(object);
    patchCalendarObject(ical, object, {
      ...fields,
      summary: 'Weekly sync',
      start: { date: '2026-03-16T09:30:00', tzid: 'Europe/Paris' },
    });
    const text = object.calendar.toString();
    expect(text).toContain('SUMMARY:Weekly sync');
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20260316T093000');
    for (const kept of [
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'CONFERENCE;FEATURE=VIDEO;VALUE=URI:https://meet.example/abc',
      'X-WR-ALARMUID:0A1B2C3D',
      'SUMMARY:Team meeting (moved)',
      'BEGIN:VTIMEZONE',
      'SEQUENCE:2',
    ]) {
      expect(text).toContain(kept);
    }
    const again = calendarFieldsOf(parseCalendarObject(ical, `${text}\r\n`));
    expect(again.summary).toBe('Weekly sync');
    expect(again.exdates).toEqual(fields.exdates);
  });

  it('replaces alarms and attendees when an app changes them', () => {
    const object = parseCalendarObject(ical, WEEKLY_PARIS);
    const fields = calendarFieldsOf(object);
    patchCalendarObject(ical, object, {
      ...fields,
      alarms: [{ action: 'DISPLAY', trigger: '-PT1H', description: 'Soon' }],
      attendees: [{ email: 'bob@example.com', partstat: 'ACCEPTED' }],
    });
    const again = calendarFieldsOf(parseCalendarObject(ical, `${object.calendar.toString()}\r\n`));
    expect(again.alarms).toEqual([{ action: 'DISPLAY', trigger: '-PT1H', description: 'Soon' }]);
    expect(again.attendees).toEqual([{ email: 'bob@example.com', partstat: 'ACCEPTED' }]);
  });

  it('makes a calendar object from the fields of an app-made event and todo', () => {
    const fields = {
      uid: 'app-1',
      summary: 'Dentist',
      start: { date: '2026-05-04T10:00:00', tzid: 'Europe/Paris' },
      end: { date: '2026-05-04T10:30:00', tzid: 'Europe/Paris' },
      rrule: 'FREQ=MONTHLY;COUNT=3',
    };
    const made = newCalendarObject(ical, 'VEVENT', fields, {
      prodId: '-//Nuage//EN',
      dtstamp: '20000101T000000Z',
    });
    expect(calendarFieldsOf(parseCalendarObject(ical, `${made.calendar.toString()}\r\n`))).toEqual(fields);
    const todo = {
      uid: 'app-2',
      summary: 'Buy milk',
      due: { date: '2026-05-04' },
      priority: 5,
      tags: ['shopping'],
    };
    const madeTodo = newCalendarObject(ical, 'VTODO', todo, {
      prodId: '-//Nuage//EN',
      dtstamp: '20000101T000000Z',
    });
    expect(calendarFieldsOf(parseCalendarObject(ical, `${madeTodo.calendar.toString()}\r\n`))).toEqual(todo);
  });
});
