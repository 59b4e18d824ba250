import { createHash, randomUUID } from 'node:crypto';
import { RemoteError } from './couch-http.js';
import type { ChangeRow, RemoteDb } from './remote-db.js';

export interface ReplicationOptions {
  /** Changes per batch: one `_changes`, `_revs_diff`, `_bulk_get` and `_bulk_docs` each, then a checkpoint. */
  batchSize?: number;
  /** After catching up, keep following the source (longpoll) until `signal` aborts. */
  continuous?: boolean;
  signal?: AbortSignal;
  /** Called after each batch is written and checkpointed. */
  onBatch?: (stats: ReplicationStats) => void;
  now?: () => Date;
}

export interface ReplicationStats {
  replicationId: string;
  /** Where this run started (from the checkpoint) and where it got to. */
  startSeq: unknown;
  lastSeq: unknown;
  /** Revisions the source listed, those the target lacked, documents read and written, refusals. */
  missingChecked: number;
  missingFound: number;
  docsRead: number;
  docsWritten: number;
  docWriteFailures: number;
}

/** How long a continuous replication's longpoll waits before asking again. */
const WAIT_MS = 60_000;
const HISTORY_KEPT = 50;

/** One session of a replication log (CouchDB's `_local/<id>` checkpoint shape). */
interface HistoryEntry {
  session_id: string;
  recorded_seq: unknown;
  [key: string]: unknown;
}

type ReplicationLog = {
  _rev?: string;
  session_id?: string;
  replication_id_version?: number;
  source_last_seq?: unknown;
  /** False when the source refused the checkpoint (a read-only token): the target's log is trusted alone. */
  source_checkpointed?: boolean;
  history?: HistoryEntry[];
};

/**
 * The replication id: the same source and target databases give the same id, whatever credentials
 * reach them, so a later run finds the checkpoints of an earlier one.
 */
export function replicationId(source: RemoteDb, target: RemoteDb): string {
  return createHash('sha256')
    .update(JSON.stringify(['nuage-replicate/1', source.url.href, target.url.href]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Replicates one database with the CouchDB replication protocol, so either side may be Nuage, CouchDB,
 * PouchDB Server or anything that speaks it: `_changes` (all leaves) → `_revs_diff` → `_bulk_get` →
 * `_bulk_docs` with `new_edits=false`, in batches, with a checkpoint in `_local/<replication id>` on
 * both sides after each batch. A later run resumes from the last checkpoint both sides agree on
 * (CouchDB's log comparison), so nothing already sent is sent again. Conflicts and deletions travel as
 * revisions, so both sides end with the same trees. Throws RemoteError when a side refuses.
 */
export async function replicate(
  source: RemoteDb,
  target: RemoteDb,
  options: ReplicationOptions = {},
): Promise<ReplicationStats> {
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? (() => new Date());
  const id = replicationId(source, target);
  await source.info();
  await target.ensure();
  const [sourceLog, targetLog] = await Promise.all([
    source.getLocal(id) as Promise<ReplicationLog | null>,
    target.getLocal(id) as Promise<ReplicationLog | null>,
  ]);
  const startSeq = resumeFrom(sourceLog, targetLog);
  const stats: ReplicationStats = {
    replicationId: id,
    startSeq,
    lastSeq: startSeq,
    missingChecked: 0,
    missingFound: 0,
    docsRead: 0,
    docsWritten: 0,
    docWriteFailures: 0,
  };
  const session = { id: randomUUID(), startTime: now().toISOString() };
  const logs = { source: sourceLog ?? {}, target: targetLog ?? {}, sourceWritable: true };

  let caughtUp = false;
  while (!options.signal?.aborted) {
    const wait = options.continuous && caughtUp;
    let page;
    try {
      page = await source.changes(stats.lastSeq, {
        limit: batchSize,
        ...(wait ? { waitMs: WAIT_MS } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) break;
      throw error;
    }
    if (page.results.length === 0) {
      if (!options.continuous) break;
      caughtUp = true;
      if (wait) stats.lastSeq = page.last_seq;
      continue;
    }
    await copyBatch(source, target, page.results, stats);
    stats.lastSeq = page.last_seq;
    await checkpoint(source, target, id, stats, session, logs, now);
    options.onBatch?.(stats);
    caughtUp = page.results.length < batchSize;
    if (caughtUp && !options.continuous) break;
  }
  return stats;
}

/** Copies the revisions the target lacks among those the rows name. */
async function copyBatch(
  source: RemoteDb,
  target: RemoteDb,
  rows: readonly ChangeRow[],
  stats: ReplicationStats,
): Promise<void> {
  const asked: Record<string, string[]> = {};
  for (const row of rows) {
    asked[row.id] = row.changes.map((c) => c.rev);
    stats.missingChecked += row.changes.length;
  }
  const diff = await target.revsDiff(asked);
  const wanted = Object.entries(diff).flatMap(([docId, d]) =>
    (d.missing ?? []).map((rev) => ({ id: docId, rev })),
  );
  stats.missingFound += wanted.length;
  if (wanted.length === 0) return;
  const docs = await source.bulkGet(wanted);
  stats.docsRead += docs.length;
  const refused = await target.bulkDocs(docs);
  stats.docsWritten += docs.length - refused.length;
  stats.docWriteFailures += refused.length;
}

/**
 * Where to resume: the source seq of the last session both logs recorded. CouchDB's rule: the same
 * current session on both sides, else the newest session in both histories, else the start.
 */
export function resumeFrom(sourceLog: ReplicationLog | null, targetLog: ReplicationLog | null): unknown {
  if (!targetLog) return 0;
  if (!sourceLog) return targetLog.source_checkpointed === false ? (targetLog.source_last_seq ?? 0) : 0;
  if (sourceLog.session_id !== undefined && sourceLog.session_id === targetLog.session_id) {
    return sourceLog.source_last_seq ?? 0;
  }
  const onTarget = new Set((targetLog.history ?? []).map((h) => h.session_id));
  return (sourceLog.history ?? []).find((h) => onTarget.has(h.session_id))?.recorded_seq ?? 0;
}

/** Records progress on the target, then on the source (skipped once the source refuses: read-only). */
async function checkpoint(
  source: RemoteDb,
  target: RemoteDb,
  id: string,
  stats: ReplicationStats,
  session: { id: string; startTime: string },
  logs: { source: ReplicationLog; target: ReplicationLog; sourceWritable: boolean },
  now: () => Date,
): Promise<void> {
  const entry: HistoryEntry = {
    session_id: session.id,
    start_time: session.startTime,
    end_time: now().toISOString(),
    start_last_seq: stats.startSeq,
    end_last_seq: stats.lastSeq,
    recorded_seq: stats.lastSeq,
    missing_checked: stats.missingChecked,
    missing_found: stats.missingFound,
    docs_read: stats.docsRead,
    docs_written: stats.docsWritten,
    doc_write_failures: stats.docWriteFailures,
  };
  const next = (log: ReplicationLog): ReplicationLog => ({
    ...(log._rev ? { _rev: log._rev } : {}),
    session_id: session.id,
    source_last_seq: stats.lastSeq,
    replication_id_version: 1,
    source_checkpointed: logs.sourceWritable,
    history: [entry, ...(log.history ?? []).filter((h) => h.session_id !== session.id)].slice(
      0,
      HISTORY_KEPT,
    ),
  });
  const targetDoc = next(logs.target);
  logs.target = { ...targetDoc, _rev: await target.putLocal(id, targetDoc) };
  if (!logs.sourceWritable) return;
  const sourceDoc = next(logs.source);
  try {
    logs.source = { ...sourceDoc, _rev: await source.putLocal(id, sourceDoc) };
  } catch (error) {
    if (!(error instanceof RemoteError) || (error.status !== 401 && error.status !== 403)) throw error;
    // A read-only source: say so on the target, whose log is then enough to resume.
    logs.sourceWritable = false;
    const again = next(logs.target);
    logs.target = { ...again, _rev: await target.putLocal(id, again) };
  }
}
