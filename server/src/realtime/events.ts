import type { DocView } from '../ports/store/documents.js';
import type { Bus } from '../ports/bus/bus.js';

/** What happened to a document, as realtime clients are told (Cozy's verbs). */
export type EventKind = 'CREATED' | 'UPDATED' | 'DELETED';

/** One document change: the document as it now stands (a tombstone for DELETED). */
export interface DocumentEvent {
  kind: EventKind;
  doctype: string;
  id: string;
  rev: string;
  doc: DocView;
}

/** The events of one committed write batch of one instance, and the update seq it reached. */
export interface WriteEvents {
  instanceId: string;
  seq: number;
  events: DocumentEvent[];
}

/** Where the data service hands each committed batch; it must not throw. */
export interface WritePublisher {
  published(batch: WriteEvents): void;
}

/** The one Bus channel every instance's write events travel on (a process serves many instances). */
export const DOCUMENTS_CHANNEL = 'nuage:documents';

/**
 * Write events over a Bus: the data service publishes every committed batch, and everything that
 * reacts to writes (longpoll wake-ups, realtime sockets, later event triggers) subscribes here, so a
 * write made by another process sharing the bus reaches them the same way as a local one.
 */
export class DocumentEvents implements WritePublisher {
  constructor(
    private readonly bus: Bus,
    private readonly onError: (error: unknown) => void,
  ) {}

  published(batch: WriteEvents): void {
    // In process, listeners share the batch object itself: a bulk write's events are thousands of
    // documents, and writing them out only to parse them again cost about 8% of a _bulk_docs request.
    const sent = this.bus.values
      ? this.bus.values.publish(DOCUMENTS_CHANNEL, batch)
      : this.bus.publish(DOCUMENTS_CHANNEL, JSON.stringify(batch));
    sent.catch(this.onError);
  }

  /**
   * Calls `listener` for each batch published by any process; resolves once subscribed. Listeners of
   * one process may be handed the same batch object: they must not modify it.
   */
  subscribe(listener: (batch: WriteEvents) => void): Promise<() => Promise<void>> {
    if (this.bus.values) {
      // Only DocumentEvents publishes on this channel, so what arrives is a WriteEvents.
      return this.bus.values.subscribe(DOCUMENTS_CHANNEL, (value) => listener(value as WriteEvents));
    }
    return this.bus.subscribe(DOCUMENTS_CHANNEL, (message) => {
      const batch = parseBatch(message);
      if (batch) listener(batch);
      else this.onError(new Error('an unreadable message on the documents channel'));
    });
  }
}

function parseBatch(message: string): WriteEvents | null {
  try {
    const value = JSON.parse(message) as Partial<WriteEvents> | null;
    if (
      typeof value?.instanceId === 'string' &&
      typeof value.seq === 'number' &&
      Array.isArray(value.events)
    ) {
      return value as WriteEvents;
    }
  } catch {
    // fall through: not ours
  }
  return null;
}
