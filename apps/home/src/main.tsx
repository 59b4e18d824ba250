import { fromPage } from '@nuage/client';
import {
  createT,
  initialLanguage,
  LocaleProvider,
  mergeDictionaries,
  saveLanguage,
  ToastProvider,
  UI_MESSAGES,
  type Language,
} from '@nuage/ui';
import '@nuage/ui/theme.css';
import { render, type JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { HomeApi } from './api.js';
import './home.css';
import { HomeApp } from './home-app.js';
import { MESSAGES } from './messages.js';

// The stack put the instance, a token and the browser's language in the page; the client refreshes
// the token through /_nuage/token and reloads the page if the owner's session has ended.
const client = fromPage();
const api = new HomeApi(client);
const dictionaries = mergeDictionaries(UI_MESSAGES, MESSAGES);

/** Holds the language, so that choosing another one re-renders every word at once. */
function Root(): JSX.Element {
  const [language, setLanguage] = useState<Language>(() => initialLanguage('home', client.context.locale));
  const t = useMemo(() => createT(dictionaries, language), [language]);
  document.documentElement.lang = language;
  document.title = t('app.name');
  const choose = (next: Language) => {
    saveLanguage('home', next);
    setLanguage(next);
  };
  return (
    <LocaleProvider t={t}>
      <ToastProvider>
        <HomeApp api={api} client={client} language={language} onLanguage={choose} />
      </ToastProvider>
    </LocaleProvider>
  );
}

render(<Root />, document.getElementById('app')!);
