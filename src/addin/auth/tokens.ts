import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import type { Participant } from '../office/types.js';
import { createNaaBridgeClient } from './naa-bridge.js';
import type { NestedAppAuth } from './nested-app-auth.js';

/*
 * Where the pane's access tokens come from: one for the companion API's own scope, one for Microsoft
 * Graph (a Graph token is never sent to the API). In dev mode both come from the API's dev token
 * endpoint; in Entra mode from Outlook's nested app authentication, through MSAL only where the small bridge client
 * of naa-bridge.ts cannot do.
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

// MSAL is only downloaded when the bridge client cannot do (one chunk, fetched once however often asked).
const loadNestedAppAuth = () => import(/* webpackChunkName: "msal" */ './nested-app-auth.js');

/**
 * Entra mode: tokens from Outlook's NAA bridge through the small client in naa-bridge.ts, so the first load carries
 * no MSAL. At its first doubt MSAL is downloaded and answers this request and every later one (it asks the bridge
 * again itself, and turns the host's errors into the Sign in button's popup or dialog).
 */
function entraTokenSource(entra: NonNullable<AddinConfig['entra']>, user: Participant): TokenSource {
  const bridge = createNaaBridgeClient(entra.clientId);
  let msal: Promise<NestedAppAuth> | null = null;
  const acquire = async (scopes: string[]) => {
    if (!msal) {
      try {
        return await bridge.token(scopes);
      } catch {
        msal ??= loadNestedAppAuth().then((m) => m.createNestedAppAuth(entra, user.email));
      }
    }
    return (await msal).acquire(scopes);
  };
  return {
    apiToken: () => acquire([entra.apiScope]),
    graphToken: () => acquire(entra.graphScopes),
    sharedMailToken: () => acquire(entra.sharedMailScopes ?? entra.graphScopes)
  };
}

export function createTokenSource(config: AddinConfig, user: Participant, devRoles: DevRoles = []): TokenSource {
  if (config.authMode === 'dev' || !config.entra) return devTokenSource(config, user, devRoles);
  return entraTokenSource(config.entra, user);
}
