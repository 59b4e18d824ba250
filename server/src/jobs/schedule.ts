import { BadRequest } from '../errors.js';
import { parseSelector, type Selector } from '../data/mango/selector.js';
import type { TriggerRecord, TriggerType } from '../ports/store/jobs.js';

export const TRIGGER_TYPES: readonly TriggerType[] = ['@at', '@in', '@every', '@cron', '@event', '@webhook'];
export const EVENT_VERBS = ['CREATED', 'UPDATED', 'DELETED'] as const;
export type EventVerb = (typeof EVENT_VERBS)[number];

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `@every` below this would keep a runner busy for nothing. */
const MIN_EVERY_MS = 1000;

/** Parses `90s`, `10m`, `1h30m`, `2d`, `500ms` into milliseconds; throws BadRequest otherwise. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) {
    throw new BadRequest(`"${text}" is not a duration: use e.g. 90s, 10m, 1h30m, 2d`);
  }
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(n) * UNITS[unit!]!;
  return total;
}

type CronLike = { nextRun(after?: Date): Date | null };
/** croner is imported on first use: a stack without `@cron` triggers never loads it. */
async function cron(expression: string): Promise<CronLike> {
  const { Cron } = await import('croner');
  try {
    return new Cron(expression, { paused: true, timezone: 'UTC' });
  } catch (error) {
    throw new BadRequest(`"${expression}" is not a cron expression: ${(error as Error).message}`);
  }
}

export interface EventSpec {
  doctype: string;
  verbs: ReadonlySet<EventVerb>;
  /** Only changes whose document matches (a Mango selector); deletions, which have none, always pass. */
  selector?: Selector;
}

/**
 * `io.cozy.files`, `io.cozy.files:CREATED,DELETED` (no verbs: all three), or with a Mango selector after
 * a third colon, `io.nuage.files:CREATED,UPDATED:{"type":"file"}`, so a trigger that cares for a few
 * documents of a busy doctype does not queue a job for every write of it.
 */
export function parseEventSpec(text: string): EventSpec {
  const trimmed = text.trim();
  const first = trimmed.indexOf(':');
  const doctype = first < 0 ? trimmed : trimmed.slice(0, first);
  if (!/^[a-z0-9_.-]+$/i.test(doctype)) throw new BadRequest(`"${text}" does not name a doctype`);
  const rest = first < 0 ? undefined : trimmed.slice(first + 1);
  const second = rest?.indexOf(':') ?? -1;
  const verbText = second < 0 ? rest : rest?.slice(0, second);
  const selectorText = second < 0 ? undefined : rest?.slice(second + 1);
  const verbs =
    verbText === undefined || verbText.trim() === ''
      ? [...EVENT_VERBS]
      : verbText.split(',').map((v) => v.trim());
  for (const verb of verbs) {
    if (!(EVENT_VERBS as readonly string[]).includes(verb))
      throw new BadRequest(`unknown event verb "${verb}": use ${EVENT_VERBS.join(', ')}`);
  }
  const spec: EventSpec = { doctype, verbs: new Set(verbs as EventVerb[]) };
  if (selectorText !== undefined) spec.selector = parseSelector(jsonOf(selectorText));
  return spec;
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('the selector of an @event trigger must be JSON (a Mango selector)');
  }
}

/**
 * The first run of a new time trigger, validating its arguments (BadRequest when they are wrong);
 * null for `@event` and `@webhook`, which are not scheduled.
 */
export async function firstRun(type: TriggerType, args: string, now: number): Promise<number | null> {
  switch (type) {
    case '@at': {
      const at = /^\d{4}-\d\d-\d\dT/.test(args) ? Date.parse(args) : NaN;
      if (Number.isNaN(at)) throw new BadRequest(`"${args}" is not an ISO 8601 date and time`);
      return at;
    }
    case '@in':
      return now + parseDuration(args);
    case '@every': {
      const every = parseDuration(args);
      if (every < MIN_EVERY_MS) throw new BadRequest(`@every needs at least ${MIN_EVERY_MS} ms`);
      return now + every;
    }
    case '@cron': {
      const next = (await cron(args)).nextRun(new Date(now));
      if (!next) throw new BadRequest(`"${args}" never runs`);
      return next.getTime();
    }
    case '@event':
      parseEventSpec(args);
      return null;
    case '@webhook':
      return null;
  }
}

/**
 * The run after a firing that was due at `due`, skipping runs missed while the stack was down (a
 * trigger fires once when it is late, not once per missed period); null for one-shot triggers.
 */
export async function nextRunAfter(trigger: TriggerRecord, due: number, now: number): Promise<number | null> {
  switch (trigger.type) {
    case '@every': {
      const every = parseDuration(trigger.arguments);
      return due + every * Math.max(1, Math.ceil((now - due + 1) / every));
    }
    case '@cron':
      return (await cron(trigger.arguments)).nextRun(new Date(Math.max(now, due)))?.getTime() ?? null;
    default:
      return null;
  }
}
