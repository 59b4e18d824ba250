/** Called with each message published on a channel the handler subscribed to. */
export type BusHandler = (message: string) => void;

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
}
