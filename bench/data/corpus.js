// A seeded corpus of realistic personal data for the data benchmarks: contacts, notes, mail and todos
// with names from several languages and Zipf-distributed words (some accented), and the kinds of
// search people type. The same seed gives the same corpus, so contenders are compared on equal data.

export const FIRST =
  `Jeanne Élodie Marie Louis Hélène Noël Chloé Zoé Léa Amélie Céline Jérôme François Gaëlle Inès
  Ana Sofia Lucas Hugo Emma Olivia Liam Noah Mia Leo Ava Ella Oscar Jack Harry Grace Ruby Lily Ivy Max Theo Finn
  Sven Björn Åsa Jürgen Müller Øystein Zoë Renée Joël Raphaël Mathéo Anaïs Maëlle Loïc Hervé Agnès Dominique
  Camille Jean Pierre Paul Jacques Michel Claire Anne Sophie Julie Nicolas Thomas Antoine Alice Bob Carol Dave`.split(
    /\s+/,
  );
export const LAST =
  `Dupont Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
  Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc Guérin Boyer Garnier Chevalier
  François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval
  Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Clark Lewis
  Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Núñez Pérez Gómez Søndergaard`.split(
    /\s+/,
  );
export const WORDS =
  `the of and to in is you that it he was for on are as with his they at be this have from or one had
  by word but not what all were we when your can said there use an each which she do how their if will up other
  about out many then them these so some her would make like him into time has look two more write go see number
  no way could people my than first water been call who oil its now find long down day did get come made may part
  meeting project budget review draft report invoice payment contract schedule deadline agenda minutes proposal
  garden kitchen holiday travel flight hotel train ticket museum concert dinner lunch breakfast birthday party
  doctor dentist appointment pharmacy school teacher homework library bicycle repair insurance mortgage tax
  café crème brûlée élève été année déjà voilà naïve façade résumé cliché fiancée entrée soirée rendez-vous
  réunion équipe données sécurité numéro téléphone adresse société problème système général février août décembre
  photo album camera beach mountain river forest winter summer spring autumn weekend morning evening tomorrow
  please thanks regards hello cheers question answer update reminder urgent important follow attached document
  server backup password account login email message calendar contact phone address street city country`.split(
    /\s+/,
  );

let seed = 42;

/** Restarts the generator, so every contender gets the same corpus. */
export function reseed(value = 42) {
  seed = value;
}
/** mulberry32: a small seeded generator, so every run indexes the same corpus. */
export function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const pick = (list) => list[Math.floor(random() * list.length)];
/** Zipf-like: common words much more often than rare ones, as in real text. */
export const zipf = (list) => list[Math.min(list.length - 1, Math.floor(list.length * random() ** 2.5))];
export const sentence = (n) => {
  const words = Array.from({ length: n }, () => zipf(WORDS));
  return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
};
export const paragraph = (sentences) =>
  Array.from({ length: sentences }, () => sentence(6 + Math.floor(random() * 12))).join(' ');
export const person = () => {
  const givenName = pick(FIRST);
  const familyName = pick(LAST);
  return { givenName, familyName, email: `${givenName}.${familyName}@example.org`.toLowerCase() };
};

export function generate(i) {
  switch (i % 4) {
    case 0: {
      const p = person();
      return [
        'io.nuage.contacts',
        {
          fullname: `${p.givenName} ${p.familyName}`,
          name: p,
          email: [{ address: p.email }],
          org: pick(LAST),
        },
      ];
    }
    case 1:
      return [
        'io.nuage.notes',
        { title: sentence(3 + Math.floor(random() * 4)), content: paragraph(3 + (i % 7)) },
      ];
    case 2: {
      const from = person();
      const to = person();
      return [
        'io.nuage.mail',
        {
          subject: sentence(4),
          from: { name: `${from.givenName} ${from.familyName}`, address: from.email },
          to: [{ name: `${to.givenName} ${to.familyName}`, address: to.email }],
          text: paragraph(4 + (i % 9)),
        },
      ];
    }
    default:
      return ['io.nuage.todos', { summary: sentence(4), description: paragraph(1) }];
  }
}

/** What people type: names and name prefixes, common and rare words, two-word queries, short prefixes. */
export function queries(count) {
  const kinds = [
    () => pick(FIRST).slice(0, 3),
    () => `${pick(FIRST)} ${pick(LAST)}`,
    () => pick(LAST).slice(0, 4),
    () => zipf(WORDS),
    () => pick(WORDS),
    () => `${pick(WORDS)} ${pick(WORDS)}`,
    () => pick(WORDS).slice(0, 2),
    () => `"${pick(WORDS)} ${pick(WORDS)}"`,
    () => pick(FIRST).slice(0, 1),
    () => `${pick(FIRST).toUpperCase()} ${pick(WORDS).slice(0, 3)}`,
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]());
}
