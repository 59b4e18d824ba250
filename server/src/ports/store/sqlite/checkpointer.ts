import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

type CheckpointRequest = { checkpoint: string } | { close: string };
interface CheckpointReply {
  path: string;
  error?: string;
}

/**
 * The worker's code: one connection per database file it is asked about, each running a passive
 * checkpoint on request, which copies what no reader still needs from the WAL into the database and
 * fsyncs both without waiting for or blocking anyone. Inline (CommonJS, better-sqlite3 by absolute
 * path) so it runs the same from the built server and from its TypeScript sources under test.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const connections = new Map();
parentPort.on('message', (request) => {
  if (request.close !== undefined) {
    connections.get(request.close)?.close();
    connections.delete(request.close);
    return;
  }
  const path = request.checkpoint;
  const reply = { path };
  try {
    let db = connections.get(path);
    if (!db) {
      db = new Database(path, { fileMustExist: true });
      db.pragma('cache_size = -256');
      connections.set(path, db);
    }
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    reply.error = String(error);
  }
  parentPort.postMessage(reply);
});
`;

/** WAL bytes written since its last reset that ask for a checkpoint. */
export const CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024;
/** Commits between two looks at a WAL's size (a `stat`). */
const LOOK_EVERY = 8;
/** A worker with nothing to do for this long stops: it costs about 9 MB of memory while it lives. */
const IDLE_MS = 30_000;

/**
 * Checkpoints SQLite's write-ahead logs on a worker thread. Left to SQLite, a checkpoint runs inside
 * the commit that crosses `wal_autocheckpoint`, on the main thread: it copies the WAL's pages into the
 * database and fsyncs both, stalling every request of every instance meanwhile (4.5 ms about every 50
 * WebDAV PUTs here, far longer on an SD card). The worker runs passive checkpoints, which never block
 * writers or readers, when a WAL has grown past CHECKPOINT_WAL_BYTES; connections keep a high
 * `wal_autocheckpoint` as a backstop should the worker fall behind. The worker starts with the first
 * checkpoint and stops when idle, so an idle stack does not pay for it.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private readonly pending = new Set<string>();
  private readonly commits = new Map<string, number>();
  private idle: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly walBytes = CHECKPOINT_WAL_BYTES,
  ) {}

  /** Called after each write transaction on `path`: asks for a checkpoint once its WAL is large. */
  committed(path: string): void {
    const count = (this.commits.get(path) ?? 0) + 1;
    this.commits.set(path, count % LOOK_EVERY);
    if (count % LOOK_EVERY !== 0 || this.pending.has(path) || this.closed) return;
    let size: number;
    try {
      size = statSync(`${path}-wal`).size;
    } catch {
      return; // no WAL yet
    }
    if (size >= this.walBytes) this.request(path);
  }

  /** Runs a passive checkpoint of `path` on the worker (once at a time per file). */
  request(path: string): void {
    if (this.pending.has(path) || this.closed) return;
    this.pending.add(path);
    this.send({ checkpoint: path });
  }

  /** Closes the worker's connection to `path` (its database is being closed or removed). */
  forget(path: string): void {
    this.commits.delete(path);
    if (this.worker) this.send({ close: path });
  }

  /** Resolves once no checkpoint is pending (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = null;
    this.pending.clear();
    await worker?.terminate();
  }

  private send(request: CheckpointRequest): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.ensureWorker().postMessage(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { sqlite: createRequire(import.meta.url).resolve('better-sqlite3') },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    // It never keeps the process alive by itself.
    worker.unref();
    worker.on('message', (reply: CheckpointReply) => {
      this.pending.delete(reply.path);
      if (reply.error !== undefined) this.onError(new Error(`checkpoint of ${reply.path}: ${reply.error}`));
      if (this.pending.size === 0) this.stopWhenIdle(worker);
    });
    worker.on('error', (error) => {
      this.onError(error);
      if (this.worker === worker) this.worker = null;
      this.pending.clear();
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(worker: Worker): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = null;
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      void worker.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }
}
