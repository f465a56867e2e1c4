import type { Generated } from 'kysely';

/*
 * Table types for Kysely. Times are epoch milliseconds in both engines (BIGINT in PostgreSQL), so
 * ordering, keyset cursors and range filters behave identically on SQLite and PostgreSQL.
 * Every table carries tenant_id and every query filters by it.
 */

export interface TenantTable {
  id: string;
  created_at: number;
  /** Who sees whose history: 'organization' (default), 'team' or 'own'. */
  history_visibility: Generated<string>;
  /** 1: the send-time prompt (Smart Alerts) is on; off (0) unless an admin switches it on. */
  send_prompt: Generated<number>;
}

export interface SalespersonTable {
  tenant_id: string;
  id: string;
  /** Entra object id (`oid`) of the signed-in user this record belongs to, once linked. */
  user_oid: string | null;
  name: string;
  email: string;
  team_id: string | null;
  active: number;
  sort_key: string;
  search_text: string;
  created_at: number;
  updated_at: number;
}

export interface ContactTable {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  company: string | null;
  phone: string | null;
  /** 1 while the contact matches new mail; 0 once deactivated (the history stays). */
  active: Generated<number>;
  sort_key: string;
  search_text: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Every address of a person, normalized, with at most one owner per tenant and kind. */
export interface AddressTable {
  tenant_id: string;
  address: string;
  owner_id: string;
  is_primary: number;
  /** Original spelling, for display. */
  display: string;
  position: number;
}

export interface TeamTable {
  tenant_id: string;
  id: string;
  name: string;
  manager_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface InteractionTable {
  tenant_id: string;
  id: string;
  /** A note's is `note:<id>` (see migration 0007): the unique key needs one. */
  internet_message_id: string;
  conversation_id: string | null;
  occurred_at: number;
  direction: 'inbound' | 'outbound';
  subject: string;
  preview: string;
  contact_id: string;
  salesperson_id: string;
  source: 'addin' | 'mailbox';
  web_link: string | null;
  logged_by: string | null;
  logged_at: number;
  opportunity_id: string | null;
  kind: Generated<InteractionKindValue>;
  /** A note's own text; null for emails. */
  body: string | null;
  /** A meeting's iCalUId (migration 0015); null for emails and notes. */
  ical_uid: Generated<string | null>;
}

export type InteractionKindValue = 'email' | 'note' | 'meeting';

export interface OpportunityTable {
  tenant_id: string;
  id: string;
  description: string;
  contact_id: string;
  salesperson_id: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
  /** Minor units (value × 100), so sums never drift. */
  estimated_value_minor: number | null;
  currency: string | null;
  probability: number;
  expected_close_date: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  /** Why it was won or lost, as the salesperson said. */
  close_reason: string | null;
}

/** One stage or status change of an opportunity (its creation included), written with the change. */
export interface OpportunityHistoryTable {
  tenant_id: string;
  id: string;
  opportunity_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  from_stage: string | null;
  to_stage: string;
  from_status: 'open' | 'won' | 'lost' | null;
  to_status: 'open' | 'won' | 'lost';
  reason: string | null;
}

/** One row per tenant; a tenant without a row has the defaults. */
export interface MailboxSettingsTable {
  tenant_id: string;
  enabled: number;
  mailbox_address: string | null;
  archive_folder: string;
  not_logged_folder: string;
  quarantine_folder: string;
  interval_seconds: number;
  batch_size: number;
  /** JSON array of lower-case domains. */
  never_log_domains: string;
  /** JSON array of lower-case addresses. */
  never_log_addresses: string;
  skip_internal_only: number;
  /** Business hours one direction may stay quiet while the other flows before the health view alerts; 0: never. */
  capture_alert_hours: number;
  updated_at: number;
  updated_by: string | null;
}

/** Who processes a mailbox until when; one row per (tenant, mailbox). */
export interface MailboxLeaseTable {
  tenant_id: string;
  mailbox_address: string;
  holder: string;
  expires_at: number;
}

/** Messages the processor could not log yet, set aside, or decided not to log. Keyed by Graph's immutable id. */
export interface MailboxMessageTable {
  tenant_id: string;
  mailbox_address: string;
  message_id: string;
  internet_message_id: string | null;
  subject: string | null;
  sender: string | null;
  received_at: number | null;
  attempts: number;
  /** 'logged': filed in the archive; 'reprocess-requested': a not-logged message an admin sent back to the Inbox. */
  status: 'failing' | 'quarantined' | 'not-logged' | 'retry-requested' | 'logged' | 'reprocess-requested';
  /** A skip reason code, or the last error message. */
  reason: string | null;
  /** The folder the message was filed in. */
  folder_id: string | null;
  /** Null on rows from before capture health (migration 0014), and where the processor could not tell. */
  direction: 'inbound' | 'outbound' | null;
  salesperson_id: string | null;
  /** The outside party: an inbound message's sender, an outbound message's first external To or Cc. */
  external_address: string | null;
  updated_at: number;
}

/** What one run did with each message it saw (migration 0016). */
export interface MailboxRunMessageTable {
  tenant_id: string;
  run_id: string;
  /** Graph's immutable id. */
  message_id: string;
  internet_message_id: string | null;
  fate: 'logged' | 'already-logged' | 'not-logged' | 'failed' | 'quarantined' | 'deferred';
  /** Not logged: the skip reason; failed or quarantined: the error; already logged: 'duplicate-in-request' or null. */
  reason: string | null;
  subject: string | null;
  sender: string | null;
  received_at: number | null;
  direction: 'inbound' | 'outbound' | null;
  /** Entries this run created for the message. */
  entries: number;
  recorded_at: number;
}

export interface MailboxRunTable {
  tenant_id: string;
  id: string;
  mailbox_address: string;
  trigger: 'schedule' | 'manual' | 'cli' | 'notification';
  started_at: number;
  finished_at: number | null;
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  seen: number;
  logged: number;
  failed: number;
  quarantined: number;
  requests: number;
  throttled: number;
  /** JSON object: skip reason → count. */
  skipped: string;
  duration_ms: number | null;
  error: string | null;
}

/** Who changed what, when; written in the same transaction as the change. */
export interface AuditLogTable {
  tenant_id: string;
  id: string;
  at: number;
  /** The user's Entra object id (or a system actor such as automatic logging). */
  actor_id: string;
  actor_name: string;
  /** e.g. 'interaction.logged', 'opportunity.updated'. */
  action: string;
  entity_type: string;
  entity_id: string;
  /** JSON object: what changed, never secrets. */
  changes: string;
}

export interface Database {
  tenants: TenantTable;
  salespeople: SalespersonTable;
  salesperson_addresses: AddressTable;
  contacts: ContactTable;
  contact_addresses: AddressTable;
  teams: TeamTable;
  interactions: InteractionTable;
  opportunities: OpportunityTable;
  opportunity_history: OpportunityHistoryTable;
  mailbox_settings: MailboxSettingsTable;
  mailbox_leases: MailboxLeaseTable;
  mailbox_messages: MailboxMessageTable;
  mailbox_runs: MailboxRunTable;
  mailbox_run_messages: MailboxRunMessageTable;
  audit_log: AuditLogTable;
  readiness_probe: ReadinessProbeTable;
  mailbox_sync: MailboxSyncTable;
}

/** Per mailbox: the Inbox's delta link, whether a notification asks for a run, and the Graph subscription. */
export interface MailboxSyncTable {
  tenant_id: string;
  mailbox_address: string;
  delta_link: string | null;
  /** Epoch ms of the first notification not yet handled by a run; null when none waits. */
  dirty_since: number | null;
  subscription_id: string | null;
  /** SHA-256 (hex) of the subscription's clientState. */
  client_state_hash: string | null;
  subscription_expires_at: number | null;
  updated_at: number;
}

/** One row, rewritten by the readiness check. */
export interface ReadinessProbeTable {
  id: number;
  checked_at: number;
}
