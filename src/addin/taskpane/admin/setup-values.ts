import {
  buildSetupSteps,
  SetupValueError,
  type SetupStep,
  type SetupValueName,
  type SetupValues
} from '../../../shared/setup-commands.js';
import type { SetupDefaults } from '../../../shared/schemas/admin.js';

/*
 * The values the admin types into the setup form, as text fields, and the six steps built from them. A bad
 * value is reported at its field and left out (its placeholder shows), so the other steps stay usable.
 */

export const SETUP_FIELDS = [
  'mailboxAddress',
  'mailboxDisplayName',
  'acceptedDomains',
  'processorAppId',
  'processorServicePrincipalId',
  'archiveFolder',
  'archiveReaders',
  'dedicatedAccount',
  'addinUrl',
  'addinClientId',
  'apiClientId',
  'tenantId'
] as const satisfies readonly SetupValueName[];
export type SetupField = (typeof SETUP_FIELDS)[number];
export type SetupForm = Record<SetupField, string>;

/** Fields holding several values, comma-separated. */
const LISTS: ReadonlySet<SetupField> = new Set(['acceptedDomains', 'archiveReaders']);

const splitList = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);

export function initialSetupForm(defaults: Partial<SetupDefaults>, origin: string): SetupForm {
  return {
    mailboxAddress: defaults.mailboxAddress ?? '',
    mailboxDisplayName: '',
    acceptedDomains: (defaults.acceptedDomains ?? []).join(', '),
    processorAppId: defaults.processorAppId ?? '',
    processorServicePrincipalId: '',
    archiveFolder: defaults.archiveFolder ?? '',
    archiveReaders: '',
    dedicatedAccount: '',
    addinUrl: origin.startsWith('https://') ? origin : '',
    addinClientId: defaults.addinClientId ?? '',
    apiClientId: defaults.apiClientId ?? '',
    tenantId: defaults.tenantId ?? ''
  };
}

/*
 * What the admin typed is kept in this browser's localStorage, per tenant, so it survives a reload. Only the
 * fields they typed in: the rest keep following what the server knows. Kept in the browser, not the API,
 * because these are the admin's own worksheet for commands they run in PowerShell (display names, readers,
 * an account), none of it configuration the server uses, and some of it not meant to be shared.
 */
const storageKey = (tenantId: string) => `interaction-log:setup-values:${tenantId}`;

/** The fields typed earlier for this tenant; nothing when storage is unavailable or holds something else. */
export function savedSetupEdits(tenantId: string): Partial<SetupForm> {
  try {
    const saved: unknown = JSON.parse(window.localStorage.getItem(storageKey(tenantId)) ?? '{}');
    if (saved === null || typeof saved !== 'object') return {};
    const edits: Partial<SetupForm> = {};
    for (const field of SETUP_FIELDS) {
      const value = (saved as Record<string, unknown>)[field];
      if (typeof value === 'string') edits[field] = value;
    }
    return edits;
  } catch {
    return {};
  }
}

export function saveSetupEdits(tenantId: string, edits: Partial<SetupForm>): void {
  try {
    window.localStorage.setItem(storageKey(tenantId), JSON.stringify(edits));
  } catch {
    // Storage full or blocked (private mode): the values last until the pane closes, as before.
  }
}

function toValues(form: SetupForm, leaveOut: ReadonlySet<SetupField>): SetupValues {
  const values: Record<string, string | string[]> = {};
  for (const field of SETUP_FIELDS) {
    if (leaveOut.has(field)) continue;
    values[field] = LISTS.has(field) ? splitList(form[field]) : form[field];
  }
  return values as SetupValues;
}

export interface BuiltSteps {
  steps: SetupStep[];
  /** What is wrong with a field, in the words of setup-commands.ts (English, naming the example to follow). */
  errors: Partial<Record<SetupField, string>>;
}

export function buildStepsFrom(form: SetupForm): BuiltSteps {
  const errors: Partial<Record<SetupField, string>> = {};
  const leaveOut = new Set<SetupField>();
  for (;;) {
    try {
      return { steps: buildSetupSteps(toValues(form, leaveOut)), errors };
    } catch (error) {
      const field = error instanceof SetupValueError ? (error.field as SetupField) : null;
      if (!field || !SETUP_FIELDS.includes(field) || leaveOut.has(field)) throw error;
      errors[field] = error instanceof SetupValueError ? error.problem : String(error);
      leaveOut.add(field);
    }
  }
}
