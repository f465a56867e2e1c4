import { personRef, type PersonRef } from '../../shared/schemas/common.js';
import type { Interaction, NoteBody } from '../../shared/schemas/interaction.js';
import { checkNote, noteEntry } from '../domain/notes.js';
import { newId } from '../store/ids.js';
import type { Actor, Store } from '../store/index.js';

/** Adds the caller's note to a contact's history, audited as the actor's. */
export async function addNote(
  store: Store,
  tenantId: string,
  input: NoteBody,
  me: PersonRef,
  actor: Actor,
  now = Date.now()
): Promise<Interaction> {
  const note = checkNote(input, now);
  // 404 for a contact of another tenant, as for one that does not exist.
  const contact = await store.directory.getContact(tenantId, input.contactId);
  const entry = noteEntry(note, personRef(contact), me, { id: newId(), now });
  const [created] = await store.interactions.insertNew(tenantId, [entry], actor);
  if (!created) throw new Error('A new note was not written.');
  return created;
}
