/** The languages the first-party apps speak. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/**
 * The language an app starts in: the owner's saved choice for this app (its origin's localStorage,
 * under `nuage.<app>.language`), else the browser's language as the stack saw it, else English.
 */
export function initialLanguage(app: string, pageLocale: string): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(`nuage.${app}.language`);
  } catch {
    // Storage can be refused (private modes): the page language still works.
  }
  if (isLanguage(saved)) return saved;
  const language = pageLocale.toLowerCase().split(/[-_]/)[0];
  return isLanguage(language) ? language : 'en';
}

export function saveLanguage(app: string, language: Language): void {
  try {
    localStorage.setItem(`nuage.${app}.language`, language);
  } catch {
    // Not saved: the choice lasts until the page is reloaded.
  }
}
