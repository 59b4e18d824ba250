import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { createT, UI_MESSAGES, type Translate } from './i18n.js';

const LocaleContext = createContext<Translate>(createT(UI_MESSAGES, 'en'));

/** Gives the components below it (and `useT()`) the app's translate function. */
export function LocaleProvider(props: { t: Translate; children?: ComponentChildren }) {
  return <LocaleContext.Provider value={props.t}>{props.children}</LocaleContext.Provider>;
}

/** The translate function of the nearest LocaleProvider (English UI words without one). */
export function useT(): Translate {
  return useContext(LocaleContext);
}
