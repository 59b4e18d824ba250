import type { RedisClientType } from '@redis/client';
import type { Bus, BusHandler } from './bus.js';

/**
 * A Bus over Redis pub/sub, so that stack processes sharing a database deliver each other's events.
 * Two connections (Redis reserves a subscribing one for pub/sub); both reconnect on their own, and
 * Redis drops what is published while a subscriber is away, as the Bus contract allows. The client
 * library is imported only here, when a Redis URL is configured, to keep it out of the default
 * memory footprint.
 */
export class RedisBus implements Bus {
  private closed = false;

  private constructor(
    private readonly publisher: RedisClientType,
    private readonly subscriber: RedisClientType,
    private readonly onHandlerError: (error: unknown) => void,
  ) {}

  /** Connects both connections; rejects if Redis does not answer. */
  static async connect(url: string, onError: (error: unknown) => void = () => undefined): Promise<RedisBus> {
    const { createClient } = await import('@redis/client');
    let started = false;
    const publisher = createClient({
      url,
      socket: {
        // At start-up an unreachable Redis is a configuration error, reported at once; once running,
        // a lost connection is retried with backoff (up to 5 s apart) for as long as it takes.
        reconnectStrategy: (retries: number, cause: Error) =>
          started ? Math.min(100 * 2 ** retries, 5_000) : cause,
      },
    }) as RedisClientType;
    const subscriber = publisher.duplicate();
    // Without a listener, a lost connection would be an unhandled 'error' event and end the process.
    publisher.on('error', onError);
    subscriber.on('error', onError);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      started = true;
    } catch (error) {
      if (publisher.isOpen) publisher.destroy();
      if (subscriber.isOpen) subscriber.destroy();
      throw error;
    }
    return new RedisBus(publisher, subscriber, onError);
  }

  async publish(channel: string, message: string): Promise<void> {
    if (this.closed) throw new Error('the bus is closed');
    await this.publisher.publish(channel, message);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the bus is closed');
    const listener = (message: string): void => {
      try {
        handler(message);
      } catch (error) {
        this.onHandlerError(error);
      }
    };
    await this.subscriber.subscribe(channel, listener);
    let active = true;
    return async () => {
      if (!active || this.closed) return;
      active = false;
      await this.subscriber.unsubscribe(channel, listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.subscriber.close(), this.publisher.close()]);
  }
}
