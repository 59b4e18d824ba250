import type { Doc, RealtimeEvent } from '@nuage/client';

/** What this app stores in an `io.nuage.notes` document. */
export interface Note {
  title: string;
  content: string;
  created_at: string;
}

export type NoteDoc = Doc<Note>;

/** Newest first: the order the list shows. */
export function sortNotes(notes: NoteDoc[]): NoteDoc[] {
  return [...notes].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
}

/** The list after a realtime event: a created or updated note replaces its old self, a deleted one leaves. */
export function applyEvent(notes: NoteDoc[], event: RealtimeEvent<Note>): NoteDoc[] {
  const others = notes.filter((n) => n._id !== event.id);
  return event.kind === 'DELETED' ? others : sortNotes([...others, event.doc]);
}
