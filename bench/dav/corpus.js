// The contacts and events the dav benchmark sends, the same bytes to every server: vCard 3.0 cards with
// names from several languages (accented), 1-3 emails, phones, an address, org, birthday, some with a
// NOTE; iCalendar events in Europe/Paris (with its VTIMEZONE) spread over 2026, every tenth repeating
// weekly. Seeded, so two runs send the same texts.

let state = 1;
/** Restarts the generator (mulberry32). */
export function reseed(seed) {
  state = seed >>> 0;
}
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const pad = (n, width = 2) => String(n).padStart(width, '0');

export const FIRST = [
  'Élodie',
  'Émile',
  'François',
  'Zoë',
  'José',
  'Håkon',
  'Søren',
  'Jürgen',
  'Chloé',
  'Inès',
  'Agnès',
  'Andrés',
  'Lucía',
  'Mónica',
  'Björn',
  'Anaïs',
  'Noël',
  'Raphaël',
  'Benoît',
  'Clément',
  'Marie',
  'Martin',
  'Sophie',
  'Thomas',
  'Julien',
  'Camille',
  'Léa',
  'Hugo',
  'Manon',
  'Lucas',
  'Anna',
  'Paul',
  'Sarah',
  'David',
  'Laura',
  'Nicolas',
  'Emma',
  'Pierre',
  'Alice',
  'Louis',
  'Ada',
  'Grace',
  'Linus',
  'Ingrid',
  'Dorothée',
  'Gaëlle',
  'Loïc',
  'Maëlle',
  'Jérôme',
  'Hélène',
];
export const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Müller',
  'Schröder',
  'Größer',
  'Fernández',
  'García',
  'Núñez',
  'Peña',
  'Åberg',
  'Østergaard',
  'Lefèvre',
  'Gérard',
  'Bélanger',
  'Côté',
  'Gagné',
  'Lévesque',
  'Benoît',
  'Fontaine',
  'Chevalier',
  'Girard',
  'Rousseau',
  'Dupont',
  'Lambert',
  'Bonnet',
  'François',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Faure',
];
const DOMAINS = ['example.org', 'exemple.fr', 'mail.example.com', 'posteo.example', 'uni-example.de'];
const ORGS = [
  'Dupont & Fils',
  'Société Générale d’Études',
  'Müller GmbH',
  'Café de la Gare',
  'Atelier Lumière',
  'Université de Lyon',
  'Hôpital Saint-Louis',
  'Nuage SAS',
  'Bäckerei Schmidt',
  'Ayuntamiento de Cádiz',
];
const TITLES = [
  'Ingénieure',
  'Directeur commercial',
  'Chef de projet',
  'Développeuse',
  'Comptable',
  'Médecin',
];
const STREETS = [
  'rue de la Paix',
  'avenue des Champs-Élysées',
  'boulevard Saint-Germain',
  'Hauptstraße',
  'calle Mayor',
  'place de l’Église',
  'chemin des Écoliers',
  'rue du Général-de-Gaulle',
];
const CITIES = [
  ['Paris', 'Île-de-France', '75002', 'France'],
  ['Lyon', 'Auvergne-Rhône-Alpes', '69003', 'France'],
  ['Montréal', 'Québec', 'H2X 1Y4', 'Canada'],
  ['München', 'Bayern', '80331', 'Deutschland'],
  ['Sevilla', 'Andalucía', '41001', 'España'],
  ['Genève', 'Genève', '1204', 'Suisse'],
];
const NOTES = [
  'Rencontrée au salon de Lyon, intéressée par l’offre annuelle; rappeler en septembre.',
  'Préfère être contacté par e-mail. Allergique aux noix (penser au dîner d’équipe).',
  'Ancien collègue, a déménagé à Montréal en 2021. Ses enfants : Zoé et Mathéo.',
  'Code du portail 4521B, deuxième étage à gauche, sonner deux fois.',
];
const SUMMARIES = [
  'Réunion d’équipe',
  'Déjeuner avec Élodie',
  'Point projet Nuage',
  'Dentiste',
  'Cours de piano',
  'Entretien annuel',
  'Revue de code',
  'Séance de sport',
  'Appel fournisseur',
  'Atelier UX',
  'Comité de pilotage',
  'Café avec François',
];
const LOCATIONS = [
  'Salle Évasion, 3e étage',
  'Café de Flore, Paris',
  'Visio (lien dans la description)',
  '12 rue de la Paix, Paris',
  'Bureau de Jürgen',
  'Gymnase municipal',
];
const DESCRIPTIONS = [
  'Ordre du jour : bilan du trimestre, priorités, questions diverses.',
  'Apporter les documents signés et la carte vitale.',
  'Lien : https://visio.example.org/salle-42 — code 1234.',
  'Préparer la démo; vérifier le vidéoprojecteur avant.',
];

/** Escapes a TEXT value (RFC 6350 §3.4, RFC 5545 §3.3.11). */
const text = (value) =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
function fold(line) {
  if (Buffer.byteLength(line) <= 75) return line;
  const out = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
      limit = 74;
    }
    current += char;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}
const lines = (list) => `${list.map(fold).join('\r\n')}\r\n`;
const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The uid (and resource name without extension) of card `i`. */
export const cardUid = (i) => `card-${pad(i, 5)}-9b2f4c1e`;
export const eventUid = (i) => `event-${pad(i, 5)}-5d8e7a30`;

/** Card `i`, as a vCard 3.0 text; `revision` > 0 makes a modified version of the same card. */
export function vcard(i, revision = 0) {
  reseed(1000 + i);
  const first = pick(FIRST);
  const last = pick(LAST);
  const out = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${cardUid(i)}`,
    `FN:${text(`${first} ${last}`)}`,
    `N:${text(last)};${text(first)};;;`,
  ];
  const emails = 1 + int(3);
  const types = ['HOME', 'WORK', 'OTHER'];
  for (let e = 0; e < emails; e++) {
    const domain = pick(DOMAINS);
    out.push(
      `EMAIL;TYPE=INTERNET,${types[e]}${e === 0 ? ',PREF' : ''}:${ascii(first)}.${ascii(last)}${e ? e : ''}@${domain}`,
    );
  }
  out.push(`TEL;TYPE=CELL:+33 6 ${pad(int(100))} ${pad(int(100))} ${pad(int(100))} ${pad(int(100))}`);
  if (random() < 0.5)
    out.push(`TEL;TYPE=WORK,VOICE:+33 1 ${pad(int(100))} ${pad(int(100))} ${pad(int(100))} ${pad(int(100))}`);
  const [city, region, code, country] = pick(CITIES);
  out.push(
    `ADR;TYPE=HOME:;;${text(`${1 + int(120)} ${pick(STREETS)}`)};${text(city)};${text(region)};${code};${text(country)}`,
  );
  out.push(`ORG:${text(pick(ORGS))}`, `TITLE:${text(pick(TITLES))}`);
  out.push(`BDAY:${1950 + int(55)}-${pad(1 + int(12))}-${pad(1 + int(28))}`);
  if (i % 4 === 0 || revision > 0) {
    const note = pick(NOTES);
    out.push(`NOTE:${text(revision > 0 ? `${note} Modifié (${revision}).` : note)}`);
  }
  out.push(`REV:2026010${1 + (revision % 9)}T120000Z`, 'END:VCARD');
  return lines(out);
}

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
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
const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Event `i`, as an iCalendar text: a VEVENT in Europe/Paris in 2026, weekly for every tenth. */
export function vevent(i) {
  reseed(5000 + i);
  const day = new Date(Date.UTC(2026, 0, 1) + int(365) * 86_400_000);
  const date = `${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1)}${pad(day.getUTCDate())}`;
  const hour = 8 + int(11);
  const minutes = pick([0, 15, 30, 45]);
  const length = pick([30, 45, 60, 60, 90, 120]);
  const endTotal = hour * 60 + minutes + length;
  const out = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Nuage//bench dav//FR',
    'CALSCALE:GREGORIAN',
    ...VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${eventUid(i)}`,
    'DTSTAMP:20260101T090000Z',
    `DTSTART;TZID=Europe/Paris:${date}T${pad(hour)}${pad(minutes)}00`,
    `DTEND;TZID=Europe/Paris:${date}T${pad(Math.floor(endTotal / 60))}${pad(endTotal % 60)}00`,
    `SUMMARY:${text(pick(SUMMARIES))}`,
    `LOCATION:${text(pick(LOCATIONS))}`,
    `DESCRIPTION:${text(pick(DESCRIPTIONS))}`,
  ];
  if (i % 10 === 0) {
    // Half end after some weeks, half never do.
    const weekday = BYDAY[(day.getUTCDay() + 6) % 7];
    out.push(i % 20 === 0 ? `RRULE:FREQ=WEEKLY;BYDAY=${weekday};COUNT=${10 + int(30)}` : `RRULE:FREQ=WEEKLY`);
  }
  out.push('STATUS:CONFIRMED', 'SEQUENCE:0', 'END:VEVENT', 'END:VCALENDAR');
  return lines(out);
}
