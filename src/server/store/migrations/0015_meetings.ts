import { sql, type Kysely } from 'kysely';

/*
 * Meetings logged from the pane (kind 'meeting', migration 0008). A meeting has no Message-ID: its entries' message
 * key is `meeting:<entry id>`, unique like a note's, and `ical_uid` holds the meeting's iCalUId (Graph's id of a
 * meeting, or of one occurrence of a series, the same in every attendee's calendar). One entry per (meeting,
 * contact, salesperson): whichever attendee logs it, and however many race, the unique key keeps one. Emails and
 * notes have none (null), so the index holds meetings only.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('interactions').addColumn('ical_uid', 'text').execute();
  await db.schema
    .createIndex('interactions_meeting_uq')
    .unique()
    .on('interactions')
    .columns(['tenant_id', 'ical_uid', 'contact_id', 'salesperson_id'])
    .where(sql.ref('ical_uid'), 'is not', null)
    .execute();
}
