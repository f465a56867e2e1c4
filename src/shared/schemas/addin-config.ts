import { Type, type Static } from 'typebox';

/**
 * What the pane needs to know at run time, written by the server into the pane's page (and served at
 * /addin/config.json): the same pane build runs against the dev stand-ins or against Microsoft Entra ID and Graph.
 */
export const AddinConfig = Type.Object({
  authMode: Type.Union([Type.Literal('dev'), Type.Literal('entra')]),
  /** Origin of the companion API; empty when it is the pane's own origin. */
  apiBaseUrl: Type.String(),
  /** Graph root without version, e.g. https://graph.microsoft.com, or the dev stand-in's. */
  graphBaseUrl: Type.String(),
  entra: Type.Union([
    Type.Object({
      clientId: Type.String(),
      authority: Type.String(),
      /** Full scope of the companion API, e.g. api://addin.contoso.com/<id>/access_as_user */
      apiScope: Type.String(),
      graphScopes: Type.Array(Type.String()),
      /**
       * Graph scopes for reading a shared or delegated mailbox's thread, asked for only on such a message; without
       * them, graphScopes.
       */
      sharedMailScopes: Type.Optional(Type.Array(Type.String()))
    }),
    Type.Null()
  ])
});
export type AddinConfig = Static<typeof AddinConfig>;
