import { WebSocket } from 'ws';

/** A message the server sent, as the tests read it. */
export interface Received {
  event: string;
  payload: { type?: string; id?: string; doc?: Record<string, unknown>; status?: string; title?: string };
}

/**
 * A real `ws` client on `/realtime` with a Host header (the instance) and optional extra headers, that
 * queues what the server sends so a test can await the next message or check that none came.
 */
export class TestSocket {
  private readonly received: Received[] = [];
  private waiting: (() => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.received.push(JSON.parse(data.toString('utf8')) as Received);
      this.waiting?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(port: number, host: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/realtime`, { headers: { host, ...headers } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`refused with ${res.statusCode}`));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  send(method: string, payload: unknown): void {
    this.ws.send(JSON.stringify({ method, payload }));
  }

  /** Subscribes, then waits for a round trip so the subscription is active before the test writes. */
  async subscribe(type: string, id?: string): Promise<void> {
    this.send('SUBSCRIBE', id === undefined ? { type } : { type, id });
    await this.roundTrip();
  }

  /** Messages are handled in order: a ping answered means everything sent before was handled. */
  async roundTrip(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  /** The next message, waiting up to `ms`. */
  async next(ms = 2_000): Promise<Received> {
    const deadline = Date.now() + ms;
    while (this.received.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no message from /realtime in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
    return this.received.shift()!;
  }

  /** Everything received within `ms` (to prove that nothing, or nothing more, arrives). */
  async drain(ms = 150): Promise<Received[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.received.splice(0);
  }

  close(): void {
    this.ws.close();
  }
}
