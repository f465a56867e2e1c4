/*
 * The six setup steps of automatic logging, as commands and admin-center paths with the tenant's own values
 * filled in. Pure and free of the schema library: the admin pane builds the steps in the browser as the admin
 * types, and the server builds the same commands for the fixes of its checks.
 *
 * Every value reaches PowerShell inside a single-quoted string, where nothing expands ($(...), backticks and
 * semicolons are plain text); the only way out of such a string is a quote, and PowerShell counts the
 * typographic quotes ‘ ’ ‚ ‛ as single quotes too, so each of them is doubled. Newlines and other control
 * characters are refused outright (SetupValueError), as are values that are not what they claim to be
 * (an address, a domain, a GUID, an https URL). Wording is the pane's; only commands and values live here.
 */

import { isGuid } from './guid.js';

export const SETUP_STEP_IDS = [
  'shared-mailbox',
  'app-access',
  'archive-read',
  'mail-flow-rules',
  'app-registration',
  'deployment'
] as const;
export type SetupStepId = (typeof SETUP_STEP_IDS)[number];

export interface SetupValues {
  /** The shared mailbox automatic logging reads, e.g. interaction-log@contoso.com. */
  mailboxAddress?: string | null | undefined;
  mailboxDisplayName?: string | null | undefined;
  /** MAILBOX_CLIENT_ID: the processor's app registration (application id). */
  processorAppId?: string | null | undefined;
  /** The object id of that app's service principal (Entra: Enterprise applications → the app → Object ID). */
  processorServicePrincipalId?: string | null | undefined;
  processorDisplayName?: string | null | undefined;
  /** The organization's accepted domains: mail from and to them is "inside the organization". */
  acceptedDomains?: readonly string[] | undefined;
  /** The folder logged messages are filed in (the processor's setting; Archive by default). */
  archiveFolder?: string | null | undefined;
  /** People or mail-enabled security groups who may open logged messages (Read on the Archive folder). */
  archiveReaders?: readonly string[] | undefined;
  /** The seeds' alternative: a dedicated, non-personal member account of the shared mailbox. */
  dedicatedAccount?: string | null | undefined;
  /** The add-in's public origin, e.g. https://addin.contoso.com. */
  addinUrl?: string | null | undefined;
  addinClientId?: string | null | undefined;
  apiClientId?: string | null | undefined;
  tenantId?: string | null | undefined;
}
export type SetupValueName = keyof SetupValues;

export interface SetupCommand {
  id: string;
  /** powershell: Exchange Online PowerShell (after Connect-ExchangeOnline); url: an address to open. */
  shell: 'powershell' | 'url';
  text: string;
  /** Values the admin has not given yet: the text holds a <placeholder> for each. */
  missing: SetupValueName[];
}

export interface SetupStep {
  step: number;
  id: SetupStepId;
  commands: SetupCommand[];
  /** Where the same is done by clicking: the admin center's address and the way through its menus. */
  adminCenter: { url: string; path: string[] } | null;
  /** Values the step's text shows (names the pane words), in the order it shows them. */
  facts: Array<{ name: string; value: string }>;
  /** Another way to do the step (step 2: the seeds' dedicated account). */
  alternative: { id: string; commands: SetupCommand[]; facts: Array<{ name: string; value: string }> } | null;
}

export class SetupValueError extends Error {
  constructor(
    readonly field: SetupValueName | 'value',
    readonly problem: string
  ) {
    super(`${field} ${problem}`);
    this.name = 'SetupValueError';
  }
}

export const DEFAULT_MAILBOX_DISPLAY_NAME = 'Interaction log';
export const DEFAULT_PROCESSOR_DISPLAY_NAME = 'Interaction log processor';
export const DEFAULT_ARCHIVE_FOLDER = 'Archive';
export const MANAGEMENT_SCOPE_NAME = 'Interaction log mailbox';
export const ROLE_ASSIGNMENT_NAME = 'Interaction log mail access';
export const INBOUND_RULE_NAME = 'Interaction log: mail sent to the organization';
export const OUTBOUND_RULE_NAME = 'Interaction log: mail sent from the organization';

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** RFC 5322's dot-atom local part: what Exchange accepts in a primary SMTP address. */
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

/** A PowerShell single-quoted string holding `value` literally; refuses what no quoting makes safe. */
export function quotePowerShell(value: string, field: SetupValueName | 'value' = 'value'): string {
  if (CONTROL.test(value)) throw new SetupValueError(field, 'must not contain line breaks or control characters');
  return `'${value.replace(SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

function text(field: SetupValueName, value: string, maxLength: number): string {
  if (CONTROL.test(value)) throw new SetupValueError(field, 'must not contain line breaks or control characters');
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new SetupValueError(field, 'must not be blank');
  if (trimmed.length > maxLength) throw new SetupValueError(field, `must be at most ${maxLength} characters`);
  return trimmed;
}

export function checkAddress(field: SetupValueName, value: string): string {
  const address = text(field, value, 320);
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || local.length > 64 || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    throw new SetupValueError(field, `must be an email address such as someone@contoso.com (got "${address}")`);
  }
  return address;
}

export function checkDomain(field: SetupValueName, value: string): string {
  const domain = text(field, value, 253).replace(/^@/, '');
  if (!DOMAIN.test(domain)) throw new SetupValueError(field, `must be a domain such as contoso.com (got "${domain}")`);
  return domain.toLowerCase();
}

export function checkGuid(field: SetupValueName, value: string): string {
  const guid = text(field, value, 36);
  if (!isGuid(guid)) throw new SetupValueError(field, `must be a GUID such as 00000000-0000-0000-0000-000000000000`);
  return guid.toLowerCase();
}

function checkHttpsOrigin(field: SetupValueName, value: string): string {
  const raw = text(field, value, 2000);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SetupValueError(field, 'must be an https address such as https://addin.contoso.com');
  }
  if (url.protocol !== 'https:' || url.username || url.password) {
    throw new SetupValueError(field, 'must be an https address such as https://addin.contoso.com');
  }
  return url.origin;
}

function checkFolderName(field: SetupValueName, value: string): string {
  const name = text(field, value, 255);
  // Exchange reads a backslash in mailbox:\folder as a path separator; the processor's folders are top-level.
  if (name.includes('\\')) throw new SetupValueError(field, 'must not contain a backslash');
  return name;
}

/** Given and valid, or null when absent. */
function optional<T>(value: string | null | undefined, check: (value: string) => T): T | null {
  return value === null || value === undefined || value.trim() === '' ? null : check(value);
}

interface Checked {
  mailboxAddress: string | null;
  mailboxDisplayName: string;
  processorAppId: string | null;
  processorServicePrincipalId: string | null;
  processorDisplayName: string;
  acceptedDomains: string[];
  archiveFolder: string;
  archiveReaders: string[];
  dedicatedAccount: string | null;
  addinUrl: string | null;
  addinClientId: string | null;
  apiClientId: string | null;
  tenantId: string | null;
}

/** Every value checked; throws SetupValueError naming the first bad one. */
export function checkSetupValues(values: SetupValues): Checked {
  const list = (field: SetupValueName, items: readonly string[] | undefined, check: (v: string) => string) => {
    if (items && items.length > 100) throw new SetupValueError(field, 'may list at most 100 entries');
    return [...new Set((items ?? []).filter((item) => item.trim() !== '').map(check))];
  };
  return {
    mailboxAddress: optional(values.mailboxAddress, (v) => checkAddress('mailboxAddress', v)),
    mailboxDisplayName:
      optional(values.mailboxDisplayName, (v) => text('mailboxDisplayName', v, 64)) ?? DEFAULT_MAILBOX_DISPLAY_NAME,
    processorAppId: optional(values.processorAppId, (v) => checkGuid('processorAppId', v)),
    processorServicePrincipalId: optional(values.processorServicePrincipalId, (v) =>
      checkGuid('processorServicePrincipalId', v)
    ),
    processorDisplayName:
      optional(values.processorDisplayName, (v) => text('processorDisplayName', v, 256)) ??
      DEFAULT_PROCESSOR_DISPLAY_NAME,
    acceptedDomains: list('acceptedDomains', values.acceptedDomains, (v) => checkDomain('acceptedDomains', v)),
    archiveFolder: optional(values.archiveFolder, (v) => checkFolderName('archiveFolder', v)) ?? DEFAULT_ARCHIVE_FOLDER,
    archiveReaders: list('archiveReaders', values.archiveReaders, (v) => checkAddress('archiveReaders', v)),
    dedicatedAccount: optional(values.dedicatedAccount, (v) => checkAddress('dedicatedAccount', v)),
    addinUrl: optional(values.addinUrl, (v) => checkHttpsOrigin('addinUrl', v)),
    addinClientId: optional(values.addinClientId, (v) => checkGuid('addinClientId', v)),
    apiClientId: optional(values.apiClientId, (v) => checkGuid('apiClientId', v)),
    tenantId: optional(values.tenantId, (v) => checkGuid('tenantId', v))
  };
}

const PLACEHOLDERS: Record<SetupValueName, string> = {
  mailboxAddress: '<shared mailbox address>',
  mailboxDisplayName: '<display name>',
  processorAppId: '<processor application id>',
  processorServicePrincipalId: '<processor service principal object id>',
  processorDisplayName: '<processor name>',
  acceptedDomains: '<accepted domain>',
  archiveFolder: '<archive folder>',
  archiveReaders: '<person or group>',
  dedicatedAccount: '<logging account>',
  addinUrl: 'https://<add-in address>',
  addinClientId: '<add-in client id>',
  apiClientId: '<API client id>',
  tenantId: '<tenant id>'
};

/** Builds one command from parts; a value part is quoted, or a placeholder when missing. */
class CommandBuilder {
  private readonly parts: string[] = [];
  readonly missing = new Set<SetupValueName>();

  word(...words: string[]): this {
    this.parts.push(...words);
    return this;
  }

  /** A value in a single-quoted string (its placeholder too, so a pasted placeholder fails harmlessly). */
  value(field: SetupValueName, value: string | null): this {
    if (value === null) this.missing.add(field);
    this.parts.push(quotePowerShell(value ?? PLACEHOLDERS[field], field));
    return this;
  }

  /** One of our own names, quoted all the same. */
  literal(value: string): this {
    this.parts.push(quotePowerShell(value));
    return this;
  }

  /** A value inside a string that is itself a quoted value (an OPATH filter): quoted twice, inner first. */
  filterEquals(property: string, field: SetupValueName, value: string | null): this {
    if (value === null) this.missing.add(field);
    const opath = `${property} -eq ${quotePowerShell(value ?? PLACEHOLDERS[field], field)}`;
    this.parts.push(quotePowerShell(opath, field));
    return this;
  }

  build(id: string): SetupCommand {
    return { id, shell: 'powershell', text: this.parts.join(' '), missing: [...this.missing] };
  }
}

const ps = () => new CommandBuilder();

function url(id: string, href: string, missing: SetupValueName[]): SetupCommand {
  return { id, shell: 'url', text: href, missing };
}

/** The mailbox alias Exchange needs: the address's local part, in the characters every alias may hold. */
function aliasFor(address: string | null): string | null {
  if (!address) return null;
  const alias = address
    .slice(0, address.lastIndexOf('@'))
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^\.+|\.+$/g, '');
  return alias.slice(0, 64) || 'interaction-log';
}

/** The six steps with the given values; missing values become placeholders, bad ones a SetupValueError. */
export function buildSetupSteps(values: SetupValues): SetupStep[] {
  const v = checkSetupValues(values);
  return [
    sharedMailboxStep,
    appAccessStep,
    archiveReadStep,
    mailFlowRulesStep,
    appRegistrationStep,
    deploymentStep
  ].map((step) => step(v));
}

/** Step 1: the shared mailbox. */
function sharedMailboxStep(v: Checked): SetupStep {
  const mailbox = v.mailboxAddress;
  return {
    step: 1,
    id: 'shared-mailbox',
    commands: [
      ps().word('Connect-ExchangeOnline').build('connect'),
      ps()
        .word('New-Mailbox', '-Shared', '-Name')
        .value('mailboxDisplayName', v.mailboxDisplayName)
        .word('-DisplayName')
        .value('mailboxDisplayName', v.mailboxDisplayName)
        .word('-Alias')
        .value('mailboxAddress', aliasFor(mailbox))
        .word('-PrimarySmtpAddress')
        .value('mailboxAddress', mailbox)
        .build('new-mailbox')
    ],
    adminCenter: {
      url: 'https://admin.exchange.microsoft.com/#/mailboxes',
      path: ['Exchange admin center', 'Recipients', 'Mailboxes', 'Add a shared mailbox']
    },
    facts: [
      { name: 'mailboxAddress', value: mailbox ?? PLACEHOLDERS.mailboxAddress },
      { name: 'mailboxDisplayName', value: v.mailboxDisplayName }
    ],
    alternative: null
  };
}

/** Step 2: the processor app's access to that mailbox only (or a dedicated account). */
function appAccessStep(v: Checked): SetupStep {
  const mailbox = v.mailboxAddress;
  return {
    step: 2,
    id: 'app-access',
    commands: [
      ps()
        .word('New-ServicePrincipal', '-AppId')
        .value('processorAppId', v.processorAppId)
        .word('-ObjectId')
        .value('processorServicePrincipalId', v.processorServicePrincipalId)
        .word('-DisplayName')
        .value('processorDisplayName', v.processorDisplayName)
        .build('new-service-principal'),
      ps()
        .word('New-ManagementScope', '-Name')
        .literal(MANAGEMENT_SCOPE_NAME)
        .word('-RecipientRestrictionFilter')
        .filterEquals('PrimarySmtpAddress', 'mailboxAddress', mailbox)
        .build('new-management-scope'),
      ps()
        .word('New-ManagementRoleAssignment', '-Name')
        .literal(ROLE_ASSIGNMENT_NAME)
        .word('-App')
        .value('processorAppId', v.processorAppId)
        .word('-Role')
        .literal('Application Mail.ReadWrite')
        .word('-CustomResourceScope')
        .literal(MANAGEMENT_SCOPE_NAME)
        .build('new-role-assignment'),
      ps()
        .word('Test-ServicePrincipalAuthorization', '-Identity')
        .value('processorAppId', v.processorAppId)
        .word('-Resource')
        .value('mailboxAddress', mailbox)
        .build('test-authorization')
    ],
    adminCenter: null,
    facts: [
      { name: 'processorAppId', value: v.processorAppId ?? PLACEHOLDERS.processorAppId },
      { name: 'role', value: 'Application Mail.ReadWrite' },
      { name: 'scope', value: MANAGEMENT_SCOPE_NAME }
    ],
    alternative: {
      id: 'dedicated-account',
      commands: [
        ps()
          .word('Add-MailboxPermission', '-Identity')
          .value('mailboxAddress', mailbox)
          .word('-User')
          .value('dedicatedAccount', v.dedicatedAccount)
          .word('-AccessRights', 'FullAccess', '-InheritanceType', 'All', '-AutoMapping', '$false')
          .build('add-mailbox-permission')
      ],
      facts: [
        { name: 'dedicatedAccount', value: v.dedicatedAccount ?? PLACEHOLDERS.dedicatedAccount },
        { name: 'delegatedPermission', value: 'Mail.ReadWrite.Shared' }
      ]
    }
  };
}

/** Step 3: read access to the Archive for those who open logged messages. */
function archiveReadStep(v: Checked): SetupStep {
  const mailbox = v.mailboxAddress;
  const readers: Array<string | null> = v.archiveReaders.length > 0 ? v.archiveReaders : [null];
  return {
    step: 3,
    id: 'archive-read',
    commands: readers.map((reader, index) =>
      ps()
        .word('Add-MailboxFolderPermission', '-Identity')
        .value('mailboxAddress', mailbox === null ? null : `${mailbox}:\\${v.archiveFolder}`)
        .word('-User')
        .value('archiveReaders', reader)
        .word('-AccessRights', 'Reviewer')
        .build(`add-folder-permission-${index + 1}`)
    ),
    adminCenter: null,
    facts: [
      { name: 'archiveFolder', value: v.archiveFolder },
      { name: 'accessRights', value: 'Reviewer' }
    ],
    alternative: null
  };
}

/** Step 4: the two mail-flow rules that copy external mail in. */
function mailFlowRulesStep(v: Checked): SetupStep {
  const mailbox = v.mailboxAddress;
  return {
    step: 4,
    id: 'mail-flow-rules',
    commands: [
      ps()
        .word('New-TransportRule', '-Name')
        .literal(INBOUND_RULE_NAME)
        .word('-FromScope', 'NotInOrganization', '-SentToScope', 'InOrganization', '-BlindCopyTo')
        .value('mailboxAddress', mailbox)
        .build('inbound-rule'),
      ps()
        .word('New-TransportRule', '-Name')
        .literal(OUTBOUND_RULE_NAME)
        .word('-FromScope', 'InOrganization', '-SentToScope', 'NotInOrganization', '-BlindCopyTo')
        .value('mailboxAddress', mailbox)
        .build('outbound-rule'),
      ...(v.acceptedDomains.length > 0
        ? [
            ps()
              .word('Get-AcceptedDomain', '|', 'Where-Object', '{', '$_.DomainName', '-in', '@(')
              .word(v.acceptedDomains.map((domain) => quotePowerShell(domain, 'acceptedDomains')).join(' , '))
              .word(')', '}')
              .build('check-accepted-domains')
          ]
        : [])
    ],
    adminCenter: {
      url: 'https://admin.exchange.microsoft.com/#/transportrules',
      path: ['Exchange admin center', 'Mail flow', 'Rules', 'Add a rule', 'Create a new rule']
    },
    facts: [
      { name: 'inboundRule', value: INBOUND_RULE_NAME },
      { name: 'outboundRule', value: OUTBOUND_RULE_NAME },
      { name: 'acceptedDomains', value: v.acceptedDomains.join(', ') }
    ],
    alternative: null
  };
}

/** Step 5: the app registrations and their admin consent. */
function appRegistrationStep(v: Checked): SetupStep {
  const addinHost = v.addinUrl ? new URL(v.addinUrl).host : null;
  const origin = v.addinUrl ?? PLACEHOLDERS.addinUrl;
  const consent = (clientId: string | null, field: SetupValueName) =>
    url(
      `admin-consent-${field === 'addinClientId' ? 'addin' : 'processor'}`,
      `https://login.microsoftonline.com/${encodeURIComponent(v.tenantId ?? 'organizations')}/adminconsent?client_id=${encodeURIComponent(clientId ?? PLACEHOLDERS[field])}`,
      [...(v.tenantId ? [] : (['tenantId'] as const)), ...(clientId ? [] : [field])]
    );
  return {
    step: 5,
    id: 'app-registration',
    commands: [consent(v.addinClientId, 'addinClientId'), consent(v.processorAppId, 'processorAppId')],
    adminCenter: {
      url: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
      path: ['Microsoft Entra admin center', 'Identity', 'Applications', 'App registrations']
    },
    facts: [
      { name: 'naaRedirectUri', value: `brk-multihub://${addinHost ?? '<add-in address>'}` },
      { name: 'popupRedirectUri', value: `${origin}/auth-redirect.html` },
      { name: 'dialogRedirectUri', value: `${origin}/auth-dialog.html` },
      {
        name: 'addinPermissions',
        value: 'openid, profile, Mail.Read, Mail.Read.Shared, Calendars.ReadBasic, access_as_user'
      },
      { name: 'apiScope', value: `api://${v.apiClientId ?? PLACEHOLDERS.apiClientId}/access_as_user` },
      { name: 'apiAppRoles', value: 'Admin, Manager' },
      { name: 'processorCredential', value: 'MAILBOX_CERTIFICATE_KEY_FILE + MAILBOX_CERTIFICATE_THUMBPRINT' },
      { name: 'processorAppId', value: v.processorAppId ?? PLACEHOLDERS.processorAppId }
    ],
    alternative: null
  };
}

/** Step 6: deploying the add-in. */
function deploymentStep(v: Checked): SetupStep {
  const addinMissing: SetupValueName[] = v.addinUrl ? [] : ['addinUrl'];
  const origin = v.addinUrl ?? PLACEHOLDERS.addinUrl;
  return {
    step: 6,
    id: 'deployment',
    commands: [url('manifest-url', `${origin}/manifest.xml`, addinMissing)],
    adminCenter: {
      url: 'https://admin.microsoft.com/#/Settings/IntegratedApps',
      path: ['Microsoft 365 admin center', 'Settings', 'Integrated apps', 'Upload custom apps']
    },
    facts: [{ name: 'propagationHours', value: '24' }],
    alternative: null
  };
}
