import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import type { Participant } from '../office/types.js';

/*
 * Where the pane's access tokens come from: one for the companion API's own scope, one for Microsoft
 * Graph (a Graph token is never sent to the API). In dev mode both come from the API's dev token
 * endpoint; in Entra mode from MSAL's nested app authentication, loaded only then.
 * Our code keeps tokens in memory only; MSAL manages its own cache.
 */

export interface TokenSource {
  apiToken(): Promise<string>;
  graphToken(): Promise<string>;
  /** A Graph token that may also read mailboxes shared with the user (Mail.Read.Shared): asked for only for those. */
  sharedMailToken(): Promise<string>;
}

/** How the user can sign in: `signIn` must be called from a click (it opens a window at once). */
export interface InteractiveSignIn {
  signIn: () => Promise<void>;
  /** The last sign-in window could not open (a popup blocker): the next one opens another way. */
  popupBlocked: boolean;
}

/**
 * The user must act (sign in, consent) before a token can be had. With Entra ID it carries the sign-in to
 * run from a button's click; dev tokens and a refused API token carry none (trying again is all there is).
 */
export class SignInRequiredError extends Error {
  readonly signIn: (() => Promise<void>) | undefined;
  readonly popupBlocked: boolean;

  constructor(message = 'Sign in to continue.', interactive?: InteractiveSignIn) {
    super(message);
    this.name = 'SignInRequiredError';
    this.signIn = interactive?.signIn;
    this.popupBlocked = interactive?.popupBlocked ?? false;
  }
}

const EXPIRY_MARGIN_MS = 60_000;

/** Dev mode only: the app roles a dev token carries (Entra ID tokens get theirs from the directory). */
export type DevRoles = Array<'Admin' | 'Manager'>;

/** `?devRoles=Manager,Admin` on the pane's address, for trying the manager and admin views in dev mode. */
export function devRolesFrom(search: string): DevRoles {
  const named = (new URLSearchParams(search).get('devRoles') ?? '').split(',');
  return (['Admin', 'Manager'] as const).filter((role) => named.includes(role));
}

function devTokenSource(config: AddinConfig, user: Participant, roles: DevRoles): TokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const fetchToken = async (): Promise<string> => {
    const response = await fetch(`${config.apiBaseUrl}/api/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, name: user.name, ...(roles.length > 0 ? { roles } : {}) })
    });
    if (!response.ok) throw new SignInRequiredError(`The dev sign-in failed (${response.status}).`);
    const body = (await response.json()) as { accessToken: string; expiresIn: number };
    cached = { token: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000 - EXPIRY_MARGIN_MS };
    return body.accessToken;
  };
  const token = () => {
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };
  return { apiToken: token, graphToken: token, sharedMailToken: token };
}

// MSAL is only downloaded when the pane really signs in with Entra ID (one chunk, fetched once however often asked).
const loadNestedAppAuth = () => import(/* webpackChunkName: "msal" */ './nested-app-auth.js');

/**
 * In Entra mode, starts downloading MSAL at once, while Office starts and the first screen is drawn: the sign-in
 * then need not wait for the download. Nothing waits for it; a failure shows when a token is asked for.
 */
export function preloadSignIn(config: AddinConfig): void {
  if (config.authMode === 'entra' && config.entra) loadNestedAppAuth().catch(() => undefined);
}

export function createTokenSource(config: AddinConfig, user: Participant, devRoles: DevRoles = []): TokenSource {
  if (config.authMode === 'dev' || !config.entra) return devTokenSource(config, user, devRoles);
  const entra = config.entra;
  const nested = loadNestedAppAuth().then((m) => m.createNestedAppAuth(entra, user.email));
  return {
    apiToken: async () => (await nested).acquire([entra.apiScope]),
    graphToken: async () => (await nested).acquire(entra.graphScopes),
    sharedMailToken: async () => (await nested).acquire(entra.sharedMailScopes ?? entra.graphScopes)
  };
}
