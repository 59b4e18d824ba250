/** Realistic vCard and iCalendar texts, as iOS, Android (DAVx5) and Thunderbird write them. */

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

/** iOS Contacts: vCard 3.0, grouped items with X-ABLabel, a PHOTO, Apple X- properties. */
export const IOS_VCARD = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//iPhone OS 17.4//EN',
  'N:Dupont;Jean;Marie;Dr.;',
  'FN:Dr. Jean Marie Dupont',
  'ORG:ACME;R&D',
  'TITLE:Chief Tinkerer',
  'item1.EMAIL;type=INTERNET;type=pref:jean@example.com',
  'item1.X-ABLabel:_$!<Other>!$_',
  'EMAIL;type=INTERNET;type=WORK:jean.dupont@acme.example',
  'TEL;type=CELL;type=VOICE;type=pref:+33 6 12 34 56 78',
  'item2.ADR;type=HOME;type=pref:;;12 rue de la Paix;Paris;;75002;France',
  'item2.X-ABADR:fr',
  'BDAY;VALUE=date:1980-04-12',
  'NOTE:Met at the conference\\nLikes coffee\\, not tea',
  'CATEGORIES:Friends,Work',
  'item3.URL;type=pref:https://jean.example',
  'item3.X-ABLabel:_$!<HomePage>!$_',
  'X-SOCIALPROFILE;type=twitter;x-user=jeand:https://x.com/jeand',
  'X-ABShowAs:PERSON',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a',
  ' HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAA',
  'REV:2026-03-01T10:00:00Z',
  'UID:8D3C1F0A-1B2C-4D5E-9F00-ABCDEF123456',
  'END:VCARD',
]);

/** Android (DAVx5): vCard 3.0 with X-ADDRESSBOOKSERVER-KIND and a nickname. */
export const ANDROID_VCARD = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:+//IDN bitfire.at//DAVx5/4.3.14-gplay ez-vcard/0.11.3',
  'UID:0c5b3a50-2f5f-4b5e-9b43-7bb5d5e0f111',
  'FN:Amélie Poulain',
  'N:Poulain;Amélie;;;',
  'NICKNAME:Mimi',
  'TEL;TYPE=cell:+33 7 00 00 00 01',
  'EMAIL;TYPE=home:amelie@example.org',
  'IMPP:xmpp:amelie@jabber.example',
  'X-PHONETIC-FIRST-NAME:a-me-li',
  'REV:20260301T100000Z',
  'END:VCARD',
]);

/** Thunderbird: vCard 4.0 with a data: PHOTO and a year-less birthday. */
export const THUNDERBIRD_VCARD = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'PRODID:-//Mozilla.org/NONSGML Mozilla Thunderbird 115//EN',
  'FN:Zoë Martin',
  'N:Martin;Zoë;;;',
  'EMAIL;PREF=1:zoe@example.net',
  'BDAY:--0229',
  'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk',
  'X-MOZILLA-HTML:TRUE',
  'UID:f3c1e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  'END:VCARD',
]);

const PARIS = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/**
 * A weekly Monday 09:00–10:00 Paris meeting from 16 March 2026, five times, across the DST change of
 * 29 March: 23 March is excluded (EXDATE), 30 March moved to 14:00 (an override), with an alarm, two
 * attendees and properties Nuage does not read (X-APPLE-TRAVEL-ADVISORY-BEHAVIOR, CONFERENCE).
 */
export const WEEKLY_PARIS = crlf([
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 14.4//EN',
  'CALSCALE:GREGORIAN',
  ...PARIS,
  'BEGIN:VEVENT',
  'UID:weekly-1@example.com',
  'DTSTAMP:20260301T090000Z',
  'CREATED:20260301T090000Z',
  'DTSTART;TZID=Europe/Paris:20260316T090000',
  'DTEND;TZID=Europe/Paris:20260316T100000',
  'RRULE:FREQ=WEEKLY;COUNT=5',
  'EXDATE;TZID=Europe/Paris:20260323T090000',
  'SUMMARY:Team meeting',
  'LOCATION:Room 4',
  'ORGANIZER;CN=Jean Dupont:mailto:jean@example.com',
  'ATTENDEE;CN=Amélie;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:amelie@example.org',
  'ATTENDEE;CN=Zoë;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:zoe@example.net',
  'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
  'CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.example/abc',
  'SEQUENCE:2',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT15M',
  'DESCRIPTION:Reminder',
  'X-WR-ALARMUID:0A1B2C3D',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly-1@example.com',
  'DTSTAMP:20260301T090000Z',
  'RECURRENCE-ID;TZID=Europe/Paris:20260330T090000',
  'DTSTART;TZID=Europe/Paris:20260330T140000',
  'DTEND;TZID=Europe/Paris:20260330T150000',
  'SUMMARY:Team meeting (moved)',
  'END:VEVENT',
  'END:VCALENDAR',
]);

/** An all-day event on 1 April 2026 (Thunderbird style, DTEND the next day). */
export const ALL_DAY = crlf([
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN',
  'BEGIN:VEVENT',
  'UID:allday-1@example.com',
  'DTSTAMP:20260301T090000Z',
  'DTSTART;VALUE=DATE:20260401',
  'DTEND;VALUE=DATE:20260402',
  'SUMMARY:Poisson d’avril',
  'TRANSP:TRANSPARENT',
  'END:VEVENT',
  'END:VCALENDAR',
]);

/** A floating lunch (no zone) at 12:00–13:00 on 2 April 2026, tentative. */
export const FLOATING = crlf([
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example//EN',
  'BEGIN:VEVENT',
  'UID:floating-1@example.com',
  'DTSTAMP:20260301T090000Z',
  'DTSTART:20260402T120000',
  'DTEND:20260402T130000',
  'SUMMARY:Lunch',
  'STATUS:TENTATIVE',
  'END:VEVENT',
  'END:VCALENDAR',
]);

/** A UTC event without TZID database help: New York wall time with no VTIMEZONE (Intl reads it). */
export const NEW_YORK_NO_VTIMEZONE = crlf([
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example//EN',
  'BEGIN:VEVENT',
  'UID:ny-1@example.com',
  'DTSTAMP:20260301T090000Z',
  'DTSTART;TZID=America/New_York:20260402T090000',
  'DURATION:PT1H',
  'SUMMARY:Call with New York',
  'END:VEVENT',
  'END:VCALENDAR',
]);

export function todo(uid: string, lines: string[]): string {
  return crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nextcloud Tasks v0.16.0',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260301T090000Z',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
  ]);
}

/** A todo due 3 April 2026 09:00 UTC, priority 1, with tags and an X- property. */
export const TODO_DUE = todo('todo-1@example.com', [
  'SUMMARY:File taxes',
  'DUE:20260403T090000Z',
  'PRIORITY:1',
  'STATUS:NEEDS-ACTION',
  'CATEGORIES:admin,home',
  'X-NEXTCLOUD-PINNED:TRUE',
]);

export function event(uid: string, lines: string[]): string {
  return crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Example//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260301T090000Z',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
}

export function vcard(uid: string, fn: string, extra: string[] = []): string {
  return crlf(['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, 'N:;;;;', ...extra, 'END:VCARD']);
}
