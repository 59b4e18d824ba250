import { displayName } from '../text.js';
import { FIELD_NAMES, type ContactDoc, type ContactFields, type Typed } from '../types.js';
import { escapeText, foldLine } from './lines.js';
import { readVCards } from './read.js';

/** A parameter value, quoted when it holds a character that would end it. */
function param(value: string): string {
  return /[:;,"]/.test(value) ? `"${value.replace(/"/g, "'")}"` : value;
}

/** `;TYPE=…;PREF=1` of an entry (vCard 4.0 writes preference as PREF, not TYPE=pref). */
function typeParams(entry: Typed): string {
  const types = entry.types?.length ? `;TYPE=${entry.types.map(param).join(',')}` : '';
  return `${types}${entry.pref ? ';PREF=1' : ''}`;
}

/** `19850412`, or `--0412` without a year (RFC 6350 4.3.1 allows only the basic format). */
function birthdayValue(birthday: string): string {
  return birthday.replace(/^(\d{4}|-)-(\d{2})-(\d{2})$/, (_, year: string, m: string, d: string) =>
    year === '-' ? `--${m}${d}` : `${year}${m}${d}`,
  );
}

/**
 * A vCard 4.0 of the structured fields. Entries with an Apple label become `itemN.` groups with
 * their `X-ABLabel`, as the server writes them. `uid` defaults to the document id, as the server's.
 */
export function writeVCard(fields: ContactFields, id?: string): string {
  const out: string[] = ['BEGIN:VCARD', 'VERSION:4.0'];
  let item = 1;
  const labelled = (line: string, entry: Typed): void => {
    if (entry.label === undefined) {
      out.push(line);
      return;
    }
    const group = `item${item++}`;
    out.push(`${group}.${line}`, `${group}.X-ABLabel:${escapeText(entry.label)}`);
  };
  const uid = fields.uid ?? id;
  if (uid) out.push(`UID:${escapeText(uid)}`);
  out.push(`FN:${escapeText(displayName(fields))}`);
  const n = fields.name ?? {};
  out.push(
    `N:${[n.familyName, n.givenName, n.additionalNames, n.prefix, n.suffix].map((s) => escapeText(s ?? '')).join(';')}`,
  );
  for (const e of fields.emails ?? []) labelled(`EMAIL${typeParams(e)}:${escapeText(e.address)}`, e);
  for (const p of fields.phones ?? []) labelled(`TEL${typeParams(p)}:${escapeText(p.number)}`, p);
  for (const a of fields.addresses ?? []) {
    const parts = [a.pobox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country];
    labelled(`ADR${typeParams(a)}:${parts.map((s) => escapeText(s ?? '')).join(';')}`, a);
  }
  if (fields.birthday) out.push(`BDAY:${birthdayValue(fields.birthday)}`);
  if (fields.org || fields.department) {
    const units = fields.department ? fields.department.split(';') : [];
    out.push(`ORG:${[fields.org ?? '', ...units].map((s) => escapeText(s)).join(';')}`);
  }
  if (fields.title) out.push(`TITLE:${escapeText(fields.title)}`);
  if (fields.note) out.push(`NOTE:${escapeText(fields.note)}`);
  if (fields.photo) out.push(`PHOTO:${fields.photo}`);
  if (fields.groups?.length) out.push(`CATEGORIES:${fields.groups.map((g) => escapeText(g)).join(',')}`);
  // Custom values were unescaped on reading; commas stay as written (lists such as NICKNAME use them).
  for (const c of fields.custom ?? []) out.push(`${c.name.toUpperCase()}:${escapeText(c.value, ';')}`);
  out.push('END:VCARD');
  return out.map(foldLine).join('');
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function pickFields(fields: ContactFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELD_NAMES) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

/**
 * The text of a contact for export: its `raw` vCard as a phone sent it when the fields still say the
 * same (it keeps what Nuage does not read: IMPP groups, keys, …), else a vCard 4.0 of the fields.
 */
export function exportText(contact: ContactDoc): string {
  if (contact.raw) {
    const [parsed] = readVCards(contact.raw);
    // The server keeps only X- properties in `custom`; this reader also keeps URL, NICKNAME….
    const xOnly = parsed?.custom?.filter((c) => c.name.startsWith('X-'));
    const asServer = parsed && { ...parsed, custom: xOnly?.length ? xOnly : undefined };
    if (asServer && canonical(pickFields(asServer)) === canonical(pickFields(contact))) {
      return `${contact.raw.replace(/\s+$/, '')}\r\n`;
    }
  }
  return writeVCard(pickFields(contact), contact._id);
}
