import type { DocBody } from '../ports/store/documents.js';

/** The alarms of an event body as the structured form holds them (`alarms[{action, trigger}]`). */
export function alarmsOf(body: DocBody): { trigger: string; action: string }[] {
  const list = body['alarms'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((a: unknown) => {
    const alarm = a as { trigger?: unknown; action?: unknown } | null;
    return typeof alarm?.trigger === 'string'
      ? [{ trigger: alarm.trigger, action: typeof alarm.action === 'string' ? alarm.action : 'DISPLAY' }]
      : [];
  });
}

/** Whether an event body has any alarm at all: a cheap test before parsing anything. */
export const hasAlarms = (body: DocBody): boolean => alarmsOf(body).length > 0;
