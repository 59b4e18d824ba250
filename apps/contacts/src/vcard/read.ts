import type { Address, ContactFields, Typed } from '../types.js';
import {
  decodeQuotedPrintable,
  parseLine,
  splitEscaped,
  unescapeText,
  unfold,
  type ContentLine,
} from './lines.js';

/**
 * Properties Nuage has no field for but a person would miss: kept in `custom` under their own name,
 * so the vCard the server makes from the fields still carries them. Everything else unknown and not
 * `X-` (KEY, LOGO, SOUND, PRODID, REV…) is dropped.
 */
const KEPT = new Set(['NICKNAME', 'URL', 'IMPP', 'ANNIVERSARY', 'GENDER', 'ROLE', 'RELATED']);

/** The value of a line as text: quoted-printable decoded, escapes undone. */
function textOf(line: ContentLine): string {
  return unescapeText(decoded(line));
}

function decoded(line: ContentLine): string {
  const encoding = line.params.get('ENCODING')?.[0]?.toUpperCase();
  if (encoding !== 'QUOTED-PRINTABLE') return line.value;
  return decodeQuotedPrintable(line.value, line.params.get('CHARSET')?.[0]);
}

/** Escaped parts of a structured value (N, ADR, ORG), each unescaped. */
function partsOf(line: ContentLine): string[] {
  return splitEscaped(decoded(line), ';').map(unescapeText);
}

/** TYPE values (lower case, `pref` taken out), PREF, and the Apple label of the line's group. */
function typedOf(line: ContentLine, labels: Map<string, string>): Typed {
  const all = (line.params.get('TYPE') ?? []).flatMap((t) => t.split(',')).filter((t) => t !== '');
  const pref = all.some((t) => t.toLowerCase() === 'pref') || line.params.has('PREF');
  const types = all.filter((t) => t.toLowerCase() !== 'pref').map((t) => t.toLowerCase());
  const label = line.group ? labels.get(line.group.toLowerCase()) : undefined;
  return {
    ...(types.length > 0 ? { types } : {}),
    ...(pref ? { pref: true } : {}),
    ...(label !== undefined ? { label } : {}),
  };
}

/** Drops empty members; undefined when nothing is left (the server stores no empty objects). */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== '');
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/** `19850412`, `1985-04-12`, `--0412`, `1985-04-12T10:00:00Z` → `1985-04-12` / `--04-12`. */
export function birthdayOf(value: string, omitYear: boolean): string | undefined {
  const text = value.trim();
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/.exec(text);
  if (full) return omitYear ? `--${full[2]}-${full[3]}` : `${full[1]}-${full[2]}-${full[3]}`;
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(text);
  if (noYear) return `--${noYear[1]}-${noYear[2]}`;
  return text || undefined;
}

function photoOf(line: ContentLine): string | undefined {
  const encoding = line.params.get('ENCODING')?.[0]?.toLowerCase();
  const value = line.value.replace(/\s+/g, '');
  if (encoding !== 'b' && encoding !== 'base64') return value || undefined;
  const known = (line.params.get('TYPE') ?? []).find((t) => /^(jpe?g|png|gif|webp|image\/.+)$/i.test(t));
  const type = (known ?? 'jpeg').toLowerCase().replace(/^image\//, '');
  return `data:image/${type};base64,${value}`;
}

/** The structured fields of one card's lines (between BEGIN and END), as the server would parse them. */
export function fieldsOf(lines: ContentLine[]): ContactFields {
  const labels = new Map<string, string>();
  for (const line of lines) {
    if (line.name === 'X-ABLABEL' && line.group) labels.set(line.group.toLowerCase(), textOf(line));
  }
  const first = (name: string) => lines.find((l) => l.name === name);
  const text = (name: string) => {
    const line = first(name);
    return line ? textOf(line) || undefined : undefined;
  };
  const [familyName, givenName, additionalNames, prefix, suffix] = partsOf(first('N') ?? emptyLine());
  const [org, ...units] = first('ORG') ? partsOf(first('ORG') as ContentLine) : [];
  const emails = lines
    .filter((l) => l.name === 'EMAIL')
    .map((l) => ({ address: textOf(l).trim(), ...typedOf(l, labels) }))
    .filter((e) => e.address !== '');
  const phones = lines
    .filter((l) => l.name === 'TEL')
    .map((l) => ({ number: textOf(l).trim().replace(/^tel:/i, ''), ...typedOf(l, labels) }))
    .filter((p) => p.number !== '');
  const addresses = lines
    .filter((l) => l.name === 'ADR')
    .map((l): Address => {
      const [pobox, extended, street, locality, region, postalCode, country] = partsOf(l);
      const parts = compact({ pobox, extended, street, locality, region, postalCode, country }) ?? {};
      return { ...parts, ...typedOf(l, labels) };
    });
  const groups = lines
    .filter((l) => l.name === 'CATEGORIES')
    .flatMap((l) => splitEscaped(decoded(l), ',').map(unescapeText))
    .map((g) => g.trim())
    .filter((g) => g !== '');
  const custom = lines
    .filter((l) => (l.name.startsWith('X-') && l.name !== 'X-ABLABEL' && !l.group) || KEPT.has(l.name))
    .map((l) => ({ name: l.name, value: textOf(l) }));
  const bday = first('BDAY');
  const photo = first('PHOTO');
  const fields: ContactFields = {
    uid: text('UID'),
    fullname: text('FN'),
    name: compact({ familyName, givenName, additionalNames, prefix, suffix }),
    emails: emails.length > 0 ? emails : undefined,
    phones: phones.length > 0 ? phones : undefined,
    addresses: addresses.length > 0 ? addresses : undefined,
    birthday: bday ? birthdayOf(textOf(bday), bday.params.has('X-APPLE-OMIT-YEAR')) : undefined,
    org: org || undefined,
    department: units.join(';') || undefined,
    title: text('TITLE'),
    note: text('NOTE'),
    photo: photo ? photoOf(photo) : undefined,
    groups: groups.length > 0 ? [...new Set(groups)] : undefined,
    custom: custom.length > 0 ? custom : undefined,
  };
  return compact(fields) ?? {};
}

function emptyLine(): ContentLine {
  return { name: '', params: new Map(), value: '' };
}

/**
 * Every card of a .vcf file (vCard 2.1, 3.0 or 4.0), in order. Lines outside BEGIN:VCARD…END:VCARD and
 * nested cards (vCard 2.1 AGENT) are skipped; a card without END still counts.
 */
export function readVCards(text: string): ContactFields[] {
  const cards: ContactFields[] = [];
  let current: ContentLine[] | null = null;
  let depth = 0;
  for (const raw of unfold(text)) {
    const line = parseLine(raw);
    if (!line) continue;
    const value = line.value.trim().toUpperCase();
    if (line.name === 'BEGIN' && value === 'VCARD') {
      if (depth++ === 0) current = [];
    } else if (line.name === 'END' && value === 'VCARD') {
      if (--depth === 0 && current) {
        cards.push(fieldsOf(current));
        current = null;
      }
      depth = Math.max(depth, 0);
    } else if (depth === 1 && current) {
      current.push(line);
    }
  }
  if (current) cards.push(fieldsOf(current));
  return cards;
}
