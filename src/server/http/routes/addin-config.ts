import type { AddinConfig } from '../../../shared/schemas/addin-config.js';
import type { Config } from '../../config.js';

// Reading the open message's thread; reading a meeting's iCalUId from its calendar event (Log this meeting).
const GRAPH_SCOPES = ['Mail.Read', 'Calendars.ReadBasic'];
// Reading the thread of a message in a shared folder or shared mailbox, from /users/{owner}: delegated
// Mail.Read.Shared (https://learn.microsoft.com/graph/permissions-reference#mailreadshared).
const SHARED_MAIL_SCOPES = ['Mail.Read.Shared'];

/** The API scope the pane asks Entra for: the audience's App ID URI (or api://<client id>) plus the scope. */
export function apiScopeUri(audience: string, scope: string): string {
  const base = audience.includes('://') ? audience : `api://${audience}`;
  return `${base.replace(/\/+$/, '')}/${scope}`;
}

export function addinConfigFor(config: Config): AddinConfig {
  if (config.authMode === 'dev' || !config.entra) {
    return { authMode: 'dev', apiBaseUrl: '', graphBaseUrl: '/graph', entra: null };
  }
  return {
    authMode: 'entra',
    apiBaseUrl: '',
    graphBaseUrl: 'https://graph.microsoft.com',
    entra: {
      clientId: config.entra.addinClientId,
      authority: 'https://login.microsoftonline.com/organizations',
      apiScope: apiScopeUri(config.entra.audience, config.entra.scope),
      graphScopes: GRAPH_SCOPES,
      sharedMailScopes: SHARED_MAIL_SCOPES
    }
  };
}
