import { fromPage } from '@nuage/client';
import { createT, LocaleProvider, mergeDictionaries, ToastProvider, UI_MESSAGES } from '@nuage/ui';
import '@nuage/ui/theme.css';
import { render } from 'preact';
import { DriveApi } from './api.js';
import { DriveApp } from './drive-app.js';
import './drive.css';
import { MESSAGES } from './messages.js';

// The stack put the instance, a token and the owner's language in the page; the client refreshes the
// token through /_nuage/token and reloads the page if the owner's session has ended.
const client = fromPage();
const language = client.context.locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
const t = createT(mergeDictionaries(UI_MESSAGES, MESSAGES), language);
document.documentElement.lang = language;
document.title = t('app.name');

render(
  <LocaleProvider t={t}>
    <ToastProvider>
      <DriveApp api={new DriveApi(client)} />
    </ToastProvider>
  </LocaleProvider>,
  document.getElementById('app')!,
);
