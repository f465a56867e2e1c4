import { startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { ADDIN_CONFIG_ELEMENT_ID } from '../../shared/addin-page.js';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { createApiClient } from '../api/client.js';
import { createTokenSource, devRolesFrom } from '../auth/tokens.js';
import { loadTranslator, warmFormats } from '../i18n/index.js';
import { pickCorrespondent } from '../domain/correspondent.js';
import { connectOffice } from '../office/mailbox.js';
import { NotInOutlookError } from '../office/types.js';
import { App } from './App.js';
import { OutsideOutlook } from './components/OutsideOutlook.js';
import { primePersonData } from './data.js';
import { ServicesProvider } from './services.js';

/*
 * The task pane's entry: the runtime configuration is read from the page, then the pane renders its first screen from
 * the open item while the sign-in and the item's data load (in Entra mode through Outlook's NAA bridge, without MSAL
 * unless the bridge cannot do: src/addin/auth/tokens.ts).
 * Marks let the benchmark measure from Office being ready to the history on screen.
 */

async function loadConfig(): Promise<AddinConfig> {
  const inlined = document.getElementById(ADDIN_CONFIG_ELEMENT_ID)?.textContent;
  if (inlined) return JSON.parse(inlined) as AddinConfig;
  // A page served without it (a static copy of the build) asks the API.
  const response = await fetch('/addin/config.json');
  if (!response.ok) throw new Error(`The pane's configuration could not be loaded (${response.status}).`);
  return (await response.json()) as AddinConfig;
}

async function start(container: HTMLElement): Promise<void> {
  const configured = loadConfig();
  const office = connectOffice();
  // Office's handshake with the host is mostly waiting: make the date and number formatters meanwhile (the browser's
  // language is the best guess of Office's display language until Office says).
  warmFormats(navigator.language);
  const [host, config] = await Promise.all([
    office.then(
      (connected) => {
        performance.mark('pane:office-ready');
        return connected;
      },
      (error: unknown) => (error instanceof NotInOutlookError ? null : Promise.reject(error))
    ),
    configured
  ]);
  if (!host) {
    // No mailbox: say where the pane works (and, in development, where to try it without Outlook).
    const i18n = await loadTranslator(navigator.language);
    document.documentElement.lang = i18n.tag;
    createRoot(container).render(
      <OutsideOutlook i18n={i18n} previewUrl={config.authMode === 'dev' ? '/preview.html' : null} />
    );
    return;
  }
  // The user's words are fetched while the item is read (English needs no fetch).
  const translator = loadTranslator(host.displayLanguage);
  // Nothing below waits for the sign-in before the first screen.
  const tokens = createTokenSource(config, host.user, devRolesFrom(window.location.search));
  const api = createApiClient(config.apiBaseUrl, tokens.apiToken);
  // Sign in and load the open item's history now, while React draws its first frame.
  const item = await host.currentItem().catch(() => null);
  const person = item ? pickCorrespondent(item, host.user) : null;
  if (person) primePersonData(api, person.email);
  else tokens.apiToken().catch(() => undefined);
  const i18n = await translator;
  document.documentElement.lang = i18n.tag;
  const root = createRoot(container);
  // As a transition React draws in slices, yielding to the browser between them: the answers to the sign-in and the
  // requests it starts are handled as they arrive, not after the whole first screen is drawn.
  startTransition(() =>
    root.render(
      <ServicesProvider services={{ host, config, tokens, api, i18n }}>
        <App firstItem={item} />
      </ServicesProvider>
    )
  );
}

const container = document.getElementById('root');
if (container) {
  start(container).catch((error: unknown) => {
    container.textContent = error instanceof Error ? error.message : String(error);
    container.setAttribute('role', 'alert');
  });
}
