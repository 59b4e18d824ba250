/** The languages the calendar speaks; the owner's choice is kept in this origin's localStorage. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const KEY = 'nuage.calendar.language';

function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/** The saved choice, else the browser's language as the stack saw it, else English. */
export function initialLanguage(pageLocale: string): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // Storage can be refused (private modes): the page language still works.
  }
  if (isLanguage(saved)) return saved;
  const language = pageLocale.toLowerCase().split(/[-_]/)[0];
  return isLanguage(language) ? language : 'en';
}

export function saveLanguage(language: Language): void {
  try {
    localStorage.setItem(KEY, language);
  } catch {
    // Not saved: the choice lasts until the page is reloaded.
  }
}
