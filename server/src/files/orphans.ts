import type { FilesService } from './files-service.js';
import type { DocumentService } from '../data/documents.js';
import type { DataScope } from '../data/format.js';
import type { Logger } from '../http/framework/log.js';
import { defineWorker, type Worker } from '../jobs/workers.js';
import type { BlobStore } from '../ports/blob/blob-store.js';
import type { InstanceRecord, InstanceStore } from '../ports/store/store.js';
import { FILES } from './file-doc.js';
import { PeriodicPass } from '../jobs/periodic-pass.js';

/**
 * How long an unreferenced blob or a temp file is left alone. A blob exists, unreferenced, between the
 * end of its write and its document's commit: the clash re-check under the directory lock and one
 * document write, milliseconds, bounded by the life of the request. A temp file's modification time is
 * the last byte received, so an upload still streaming always looks recent, and Node ends a request
 * whose body has not arrived within 5 minutes (the write then removes its temp file). An hour is far
 * beyond both, so a sweep never takes a blob whose document is about to commit.
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** What one sweep removed. */
export interface SweepResult {
  blobs: number;
  temps: number;
}

/**
 * Removes what no file document will ever name: temp entries, and blobs no `io.nuage.files` document
 * (trashed ones included) references, in both cases only those last written before `cutoff`.
 * The store is listed before the documents are read, so a blob whose document commits in between is
 * seen as referenced; a blob whose document commits after the read is younger than any sane cutoff.
 * `alsoKept` names the blobs other features keep in the same scope (thumbnails), read after the listing
 * for the same reason.
 */
export async function sweepOrphans<S extends DataScope>(
  documents: DocumentService,
  blobs: BlobStore,
  scope: S,
  cutoff: number,
  alsoKept?: KeptBlobs<S>,
): Promise<SweepResult> {
  const old = (await blobs.inventory(scope.instance.id)).filter((entry) => entry.modifiedAt < cutoff);
  const result: SweepResult = { blobs: 0, temps: 0 };
  if (old.length === 0) return result;
  const referenced = await referencedBlobs(documents, scope);
  for (const id of (await alsoKept?.(scope)) ?? []) referenced.add(id);
  for (const entry of old) {
    if (entry.kind === 'temp') {
      await blobs.deleteTemp(scope.instance.id, entry.id);
      result.temps++;
    } else if (!referenced.has(entry.id)) {
      await blobs.delete(scope.instance.id, entry.id);
      result.blobs++;
    }
  }
  return result;
}

/** The blob ids named by the current revision of every file document of the instance, versions included. */
async function referencedBlobs(documents: DocumentService, scope: DataScope): Promise<Set<string>> {
  const { rows } = await documents.allDocs(scope, FILES, { includeDocs: true });
  const ids = new Set<string>();
  for (const row of rows) {
    const doc = 'doc' in row ? row.doc : undefined;
    if (typeof doc?.blob === 'string') ids.add(doc.blob);
    if (Array.isArray(doc?.versions)) {
      for (const version of doc.versions as unknown[]) {
        const blob = (version as { blob?: unknown } | null)?.blob;
        if (typeof blob === 'string') ids.add(blob);
      }
    }
  }
  return ids;
}

/** Blob ids of a scope that no file document names but a feature keeps (thumbnails, files/thumbnails/). */
export type KeptBlobs<S> = (scope: S) => Promise<Iterable<string>>;

/** An instance as a sweep pass opens it. */
type SweepScope = { instance: InstanceRecord; storage: InstanceStore };

export interface OrphanSweeperOptions {
  documents: DocumentService;
  blobs: BlobStore;
  instances: {
    list(): Promise<InstanceRecord[]>;
    storage(instance: InstanceRecord): Promise<InstanceStore>;
  };
  logger: Logger;
  /**
   * The clock modification times are compared with: the file system's, so the wall clock by default,
   * never a test's shifted clock (that would make a blob written a second ago look an hour old).
   */
  now?: () => number;
  /**
   * Whether this process alone writes its instances' blobs (SQLite: an instance file belongs to one
   * process). Then anything written before this process started belongs to a process that is gone —
   * its document committed or never will — so the start-up pass needs no grace period and a crash's
   * leftovers go at once. With PostgreSQL, other processes may be writing: the grace period applies.
   */
  exclusive: boolean;
  graceMs?: number;
  /** Delay of the start-up pass, so it does not compete with the first requests; default 1 s. */
  startDelayMs?: number;
  /** Period of the later passes; default a day. */
  everyMs?: number;
  /**
   * The trash's auto-emptying, done by the same daily pass before the sweep: entries trashed more
   * than `keepMs` ago are deleted for good (by the stack's clock, which dated them).
   */
  trash?: { files: FilesService; keepMs: number; now: () => number };
  /** Blobs that other features keep in the files' scope, so the sweep leaves them alone. */
  alsoKept?: KeptBlobs<SweepScope>;
}

/**
 * Runs `sweepOrphans` over every instance: once shortly after start-up, then once a day, on timers
 * that keep no process alive and hold nothing between passes (no idle memory, no start-up cost).
 */
export class OrphanSweeper {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly periodic: PeriodicPass;

  constructor(private readonly options: OrphanSweeperOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.periodic = new PeriodicPass(
      (atStartup) => this.pass(this.cutoff(atStartup)),
      { startDelayMs: options.startDelayMs ?? 1000, everyMs: options.everyMs ?? 24 * 60 * 60 * 1000 },
      (error) => options.logger.error({ err: error }, 'orphan sweep failed'),
    );
  }

  /** Schedules the start-up pass and the periodic ones. */
  start(): void {
    this.periodic.start();
  }

  /** Sweeps one instance, leaving alone what was written within the grace period. */
  sweep(scope: SweepScope): Promise<SweepResult> {
    const { documents, blobs, alsoKept } = this.options;
    return sweepOrphans(documents, blobs, scope, this.graceCutoff(), alsoKept);
  }

  /** Deletes for good what has been in the trash longer than the kept days (none when not configured). */
  async emptyTrash(scope: DataScope): Promise<number> {
    const trash = this.options.trash;
    return trash ? trash.files.emptyTrash(scope, trash.now() - trash.keepMs) : 0;
  }

  /** Cancels the timers and waits for a pass under way (it stops between instances). */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private graceCutoff(): number {
    return this.now() - (this.options.graceMs ?? ORPHAN_GRACE_MS);
  }

  private cutoff(atStartup: boolean): number {
    return atStartup && this.options.exclusive
      ? Math.max(this.startedAt, this.graceCutoff())
      : this.graceCutoff();
  }

  private async pass(cutoff: number): Promise<void> {
    const { logger, instances } = this.options;
    const started = Date.now();
    const total: SweepResult = { blobs: 0, temps: 0 };
    let swept = 0;
    try {
      for (const instance of await instances.list()) {
        if (this.periodic.stopped) return;
        try {
          const scope = { instance, storage: await instances.storage(instance) };
          const emptied = await this.emptyTrash(scope);
          if (emptied > 0)
            logger.info({ instance: instance.domain, emptied }, 'emptied old entries from the trash');
          const { documents, blobs, alsoKept } = this.options;
          const result = await sweepOrphans(documents, blobs, scope, cutoff, alsoKept);
          total.blobs += result.blobs;
          total.temps += result.temps;
          swept++;
          if (result.blobs + result.temps > 0) {
            logger.info({ instance: instance.domain, ...result }, 'removed orphan blobs and temp files');
          }
        } catch (error) {
          logger.error({ err: error, instance: instance.domain }, 'orphan sweep failed');
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'orphan sweep failed');
      return;
    }
    logger.info({ instances: swept, ...total, ms: Date.now() - started }, 'orphan sweep finished');
  }
}

/**
 * `files-sweep`: one pass over the job's instance: the trash emptied of entries older than the kept
 * days, then the orphan sweep with its grace period (so it is safe while the stack serves uploads). The stack sweeps daily by itself; this lets an owner or a trigger ask for more.
 */
export function sweepWorker(sweeper: OrphanSweeper): Worker<unknown> {
  return defineWorker<null>({
    name: 'files-sweep',
    timeoutMs: 10 * 60_000,
    parse: () => null,
    run: async (_payload, { instance, storage, logger }) => {
      const emptied = await sweeper.emptyTrash({ instance, storage });
      const result = await sweeper.sweep({ instance, storage });
      logger.info({ instance: instance.domain, emptied, ...result }, 'files-sweep done');
    },
  });
}
