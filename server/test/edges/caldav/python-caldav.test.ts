import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, startStack, tempDir, type TestStack } from '../../support/stack.js';
import { pythonWithCaldav, run } from './tools.js';

const PYTHON = pythonWithCaldav();
const PASSWORD = 'correct horse battery';

/** What a small script using python3-caldav does, printing one line per step. */
const SCRIPT = String.raw`
import datetime, sys
import caldav

url, user, password = sys.argv[1:4]
client = caldav.DAVClient(url=url, username=user, password=password)
principal = client.principal()
print("principal", principal.url.path)
calendar = principal.make_calendar(name="Python", cal_id="python")
print("calendars", sorted(str(c.name) for c in principal.calendars()))
event = calendar.save_event("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Test//EN
BEGIN:VEVENT
UID:yoga
DTSTAMP:20250101T000000Z
DTSTART:20250505T070000Z
DTEND:20250505T080000Z
RRULE:FREQ=DAILY;COUNT=5
SUMMARY:Yoga
END:VEVENT
END:VCALENDAR
""")
inside = calendar.search(start=datetime.datetime(2025, 5, 8, tzinfo=datetime.timezone.utc),
                         end=datetime.datetime(2025, 5, 9, tzinfo=datetime.timezone.utc), event=True, expand=False)
print("inside", [str(e.icalendar_component.get("summary")) for e in inside])
outside = calendar.search(start=datetime.datetime(2025, 6, 1, tzinfo=datetime.timezone.utc),
                          end=datetime.datetime(2025, 6, 2, tzinfo=datetime.timezone.utc), event=True, expand=False)
print("outside", len(outside))
event.delete()
print("left", len(calendar.events()))
calendar.delete()
print("calendars", sorted(str(c.name) for c in principal.calendars()))
`;

describe.skipIf(PYTHON === null)('python3-caldav against a real stack', () => {
  let t: TestStack;
  let dir: string;

  beforeAll(async () => {
    t = await startStack({ config: { defaultInstance: '127.0.0.1' } });
    await onboard(t.client.forHost('127.0.0.1'), 'alice', PASSWORD);
    dir = tempDir('nuage-python-caldav-');
    writeFileSync(join(dir, 'script.py'), SCRIPT);
  });

  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a calendar, adds a recurring event, finds it by time range, deletes both', async () => {
    const url = `http://127.0.0.1:${t.port}/dav/`;
    const res = await run(PYTHON!, [join(dir, 'script.py'), url, 'alice', PASSWORD], { cwd: dir });
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([
      'principal /dav/principals/alice/',
      "calendars ['Calendar', 'Python']",
      "inside ['Yoga']",
      'outside 0',
      'left 0',
      "calendars ['Calendar']",
    ]);
  }, 60_000);
});
