import type { Translate } from '@nuage/ui';
import type { Permission, Verb } from './types.js';

const ALL_VERBS: Verb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The verbs of a permission in plain words (`read, add`), PUT and PATCH both being "change". */
export function verbsInWords(t: Translate, permission: Permission): string {
  const verbs = permission.verbs === 'ALL' ? ALL_VERBS : permission.verbs;
  const words = [...new Set(verbs.map((verb) => t(`verb.${verb}`)))];
  return words.join(', ');
}

/**
 * A doctype's name for people (`Notes`), for the doctypes Nuage knows; others are shown as they are
 * written, which is still what the app will touch.
 */
export function doctypeInWords(t: Translate, doctype: string): string {
  const key = `doctype.${doctype}`;
  const text = t(key);
  return text === key ? doctype : text;
}
