import { fromPage } from '@nuage/client';
import {
  createT,
  initialLanguage,
  LocaleProvider,
  mergeDictionaries,
  ToastProvider,
  UI_MESSAGES,
} from '@nuage/ui';
import '@nuage/ui/theme.css';
import { render, type JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { CalendarApi } from './api.js';
import { CalendarApp } from './calendar-app.js';
import './calendar.css';
import { MESSAGES } from './messages.js';

// The stack put the instance, a token and the owner's language in the page; the client refreshes
// the token through /_nuage/token and reloads the page if the owner's session has ended.
const client = fromPage();
const api = new CalendarApi(client);
const dictionaries = mergeDictionaries(UI_MESSAGES, MESSAGES);

function Root(): JSX.Element {
  const [language] = useState(() => initialLanguage('calendar', client.context.locale));
  const t = useMemo(() => createT(dictionaries, language), [language]);
  document.documentElement.lang = language;
  document.title = t('app.name');
  return (
    <LocaleProvider t={t}>
      <ToastProvider>
        <CalendarApp api={api} client={client} language={language} />
      </ToastProvider>
    </LocaleProvider>
  );
}

render(<Root />, document.getElementById('app')!);
