import type { Bus, BusHandler, ValueBus } from './bus.js';

/**
 * The default Bus: one process, no server. Delivery is synchronous inside `publish`, so a write's
 * listeners (longpoll wake-ups, realtime sockets) have run when the write call returns. Nothing leaves
 * the process, so it also carries values as they are (`values`, see Bus).
 */
export class MemoryBus implements Bus {
  private readonly text: Channels<string>;
  private readonly valueChannels: Channels<unknown>;

  constructor(onHandlerError: (error: unknown) => void = () => undefined) {
    this.text = new Channels(onHandlerError);
    this.valueChannels = new Channels(onHandlerError);
  }

  get values(): ValueBus {
    return this.valueChannels;
  }

  publish(channel: string, message: string): Promise<void> {
    return this.text.publish(channel, message);
  }

  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    return this.text.subscribe(channel, handler);
  }

  close(): Promise<void> {
    this.text.close();
    this.valueChannels.close();
    return Promise.resolve();
  }
}

/** Handlers by channel, called synchronously in publish; one kind of message (text or values). */
class Channels<M> {
  private readonly channels = new Map<string, Set<(message: M) => void>>();
  private closed = false;

  constructor(private readonly onHandlerError: (error: unknown) => void) {}

  publish(channel: string, message: M): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the bus is closed'));
    const handlers = this.channels.get(channel);
    // A copy, so a handler that subscribes or unsubscribes does not change this delivery.
    if (handlers) for (const handler of [...handlers]) this.call(handler, message);
    return Promise.resolve();
  }

  subscribe(channel: string, handler: (message: M) => void): Promise<() => Promise<void>> {
    if (this.closed) return Promise.reject(new Error('the bus is closed'));
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const subscription = (message: M): void => handler(message);
    let handlers = this.channels.get(channel);
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    handlers.add(subscription);
    const set = handlers;
    return Promise.resolve(() => {
      set.delete(subscription);
      if (set.size === 0 && this.channels.get(channel) === set) this.channels.delete(channel);
      return Promise.resolve();
    });
  }

  close(): void {
    this.closed = true;
    this.channels.clear();
  }

  private call(handler: (message: M) => void, message: M): void {
    try {
      handler(message);
    } catch (error) {
      this.onHandlerError(error);
    }
  }
}
