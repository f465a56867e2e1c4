import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { createApiClient } from '../api/client.js';
import { createTokenSource } from '../auth/tokens.js';
import { cachedLookup, decideAtSend } from '../domain/send-prompt.js';
import { createTranslator } from '../i18n/catalogues.js';
import { registerMessageSend, sendContext } from '../office/send-event.js';

/*
 * The event-based runtime's entry (launchevent.js for classic Outlook on Windows, launchevent.html for Outlook on
 * the web and new Outlook). The handler is registered at once, as Outlook requires; configuration, sign-in and
 * the translator are prepared in the background and the handler lets a message go unchanged until they are.
 */

const prepared = (async () => {
  const [context, config] = await Promise.all([
    sendContext(),
    fetch('/addin/config.json').then((response) => response.json() as Promise<AddinConfig>)
  ]);
  const tokens = createTokenSource(config, context.user);
  const api = createApiClient(config.apiBaseUrl, tokens.apiToken);
  return { ...context, i18n: createTranslator(context.displayLanguage), lookup: cachedLookup(api.sendCheck) };
})();
prepared.catch(() => undefined);

registerMessageSend(async (message) => {
  const { user, i18n, lookup } = await prepared;
  return decideAtSend(message, lookup, user, (opportunity) =>
    i18n.t('sendPrompt', { company: opportunity.company, name: opportunity.description })
  );
});
