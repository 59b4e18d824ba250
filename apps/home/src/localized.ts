import type { InstalledApp } from './types.js';

/** An app's name and description in the owner's language when its manifest has them. */
export function localized(app: InstalledApp, language: string): { name: string; description: string } {
  const words = app.locales[language] ?? {};
  return { name: words.name ?? app.name, description: words.description ?? app.description };
}
