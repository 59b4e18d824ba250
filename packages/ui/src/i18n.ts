/** One language's messages: keys to text, with `{name}` placeholders. */
export type Dictionary = Readonly<Record<string, string>>;

/** Translates a key, filling `{name}` placeholders from `params`. */
export type Translate = (key: string, params?: Readonly<Record<string, string | number>>) => string;

/**
 * The `t()` of an app: looks the key up in the dictionary of `locale` (`fr-CA` falls back to `fr`),
 * then in `fallback`'s (English by default), then answers the key itself, so a missing translation
 * shows something readable instead of nothing. Apps pass their own dictionaries; merge `UI_MESSAGES`
 * in for the components' own words.
 */
export function createT(
  dictionaries: Readonly<Record<string, Dictionary>>,
  locale: string,
  fallback = 'en',
): Translate {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? fallback;
  const chain = [dictionaries[locale], dictionaries[language], dictionaries[fallback]].filter(
    (d): d is Dictionary => d !== undefined,
  );
  return (key, params) => {
    const text = chain.find((d) => Object.hasOwn(d, key))?.[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

/** Merges dictionaries per language, later ones winning (the app's over the components'). */
export function mergeDictionaries(
  ...sets: readonly Readonly<Record<string, Dictionary>>[]
): Record<string, Dictionary> {
  const merged: Record<string, Record<string, string>> = {};
  for (const set of sets) {
    for (const [language, dictionary] of Object.entries(set)) {
      merged[language] = { ...merged[language], ...dictionary };
    }
  }
  return merged;
}

/** The words the components themselves show. */
export const UI_MESSAGES: Readonly<Record<string, Dictionary>> = {
  en: {
    'ui.home': 'Home',
    'ui.close': 'Close',
    'ui.back': 'Back',
    'ui.loading': 'Loading…',
    'ui.notifications': 'Notifications',
    'ui.dismiss': 'Dismiss',
  },
  fr: {
    'ui.home': 'Accueil',
    'ui.close': 'Fermer',
    'ui.back': 'Retour',
    'ui.loading': 'Chargement…',
    'ui.notifications': 'Notifications',
    'ui.dismiss': 'Masquer',
  },
};
