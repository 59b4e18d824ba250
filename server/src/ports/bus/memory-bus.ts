import type { Bus, BusHandler } from './bus.js';

/**
 * The default Bus: one process, no server. Delivery is synchronous inside `publish`, so a write's
 * listeners (longpoll wake-ups, realtime sockets) have run when the write call returns.
 */
export class MemoryBus implements Bus {
  private readonly channels = new Map<string, Set<BusHandler>>();
  private closed = false;

  constructor(private readonly onHandlerError: (error: unknown) => void = () => undefined) {}

  publish(channel: string, message: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the bus is closed'));
    for (const handler of [...(this.channels.get(channel) ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
    return Promise.resolve();
  }

  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.closed) return Promise.reject(new Error('the bus is closed'));
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const subscription: BusHandler = (message) => handler(message);
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

  close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    return Promise.resolve();
  }
}
