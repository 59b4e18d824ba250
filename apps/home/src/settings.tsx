import { useT } from '@nuage/ui';
import type { JSX } from 'preact';
import type { HomeApi } from './api.js';
import { DevicePasswords } from './device-passwords.js';
import { InstanceInfoSection } from './instance-info.js';
import { LANGUAGES, type Language } from '@nuage/ui';
import { Sessions } from './sessions.js';

export interface SettingsProps {
  api: HomeApi;
  language: Language;
  onLanguage: (language: Language) => void;
}

/**
 * The owner's settings reachable with the Home's token. Password and two-factor stay on the instance's
 * own settings page, behind the owner's session: an app, even this one, must not be able to change them.
 */
export function Settings({ api, language, onLanguage }: SettingsProps): JSX.Element {
  const t = useT();
  return (
    <div class="home-page">
      <section class="home-section" aria-labelledby="language-title">
        <h2 id="language-title">{t('settings.language')}</h2>
        <select
          class="home-select"
          aria-labelledby="language-title"
          value={language}
          onChange={(event) => onLanguage(event.currentTarget.value as Language)}
        >
          {LANGUAGES.map((code) => (
            <option key={code} value={code}>
              {t(`language.${code}`)}
            </option>
          ))}
        </select>
      </section>
      <section class="home-section" aria-labelledby="security-title">
        <h2 id="security-title">{t('settings.security')}</h2>
        <p class="home-muted">{t('settings.securityText')}</p>
        <ul class="home-links">
          <li>
            <a href={api.url('/settings')}>{t('settings.password')}</a>
          </li>
          <li>
            <a href={api.url('/settings#totp')}>{t('settings.totp')}</a>
          </li>
        </ul>
      </section>
      <DevicePasswords api={api} language={language} />
      <Sessions api={api} language={language} />
      <InstanceInfoSection api={api} language={language} />
    </div>
  );
}
