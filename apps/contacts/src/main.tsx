import { fromPage } from '@nuage/client';
import { createT, LocaleProvider, mergeDictionaries, ToastProvider, UI_MESSAGES } from '@nuage/ui';
import '@nuage/ui/theme.css';
import { render } from 'preact';
import { App } from './app.js';
import { MESSAGES } from './messages.js';

// The stack put the instance, a token and the owner's language in the page; the client refreshes the
// token through /_nuage/token and reloads the page if the owner's session has ended.
const client = fromPage();
const t = createT(mergeDictionaries(UI_MESSAGES, MESSAGES), client.context.locale);
document.documentElement.lang = client.context.locale;
document.title = t('app.name');

render(
  <LocaleProvider t={t}>
    <ToastProvider>
      <App client={client} />
    </ToastProvider>
  </LocaleProvider>,
  document.getElementById('app')!,
);
