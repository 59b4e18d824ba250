/** Called with each message published on a channel the handler subscribed to. */
export type BusHandler = (message: string) => void;

/**
 * Publish/subscribe of values that never leave this process, so never written as text: see
 * {@link Bus.values}. The same rules as the Bus's own, except that every handler is handed the very
 * value published (handlers must not modify it), and values and text messages are apart: a value
 * reaches only handlers subscribed here, whatever its channel.
 */
export interface ValueBus {
  publish(channel: string, value: unknown): Promise<void>;
  subscribe(channel: string, handler: (value: unknown) => void): Promise<() => Promise<void>>;
}

/**
 * Publish/subscribe between the parts of one stack and, with a shared adapter, between stack processes
 * (two processes on one PostgreSQL database deliver each other's write events through it).
 *
 * Every adapter must:
 * - deliver a published message to every handler subscribed to its channel at the time of delivery,
 *   in every process sharing the bus (the publisher's own included), in publish order per publisher;
 * - deliver at most once per subscription, with no delivery guarantee beyond that: a message published
 *   while a process is disconnected is lost (readers that need more use the changes feed);
 * - resolve `subscribe` only once the subscription is active, so a message published afterwards reaches it;
 * - isolate handlers: one that throws neither stops the others nor the publisher;
 * - after the unsubscribe function resolves, call that handler no more (other handlers stay);
 * - on `close`, drop every subscription and release connections; publishing after close rejects.
 */
export interface Bus {
  /** Sends `message` to every subscriber of `channel`; resolves once handed to the transport. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel` until the returned function is called. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * Present only on adapters whose every subscriber lives in this process (MemoryBus): a publisher
   * that finds it may hand values as they are instead of JSON text, sparing a write and a parse per
   * subscriber (a bulk write's events are thousands of documents). Absent on a bus between processes.
   */
  readonly values?: ValueBus;
}
