import type { DocumentStore } from '../ports/store/documents.js';
import { changes, DEFAULT_LONGPOLL_MS, type ChangeEntry, type ChangesOptions } from './changes.js';
import type { ChangeNotifier } from './notifier.js';

/** Rows read from the store at a time: a backlog of 100k changes streams in bounded memory. */
export const FEED_PAGE = 500;

export interface FeedOptions extends Omit<ChangesOptions, 'feed' | 'timeoutMs' | 'signal' | 'since'> {
  since: number;
  /**
   * Ends the feed after this long without a change (default 60 s). Ignored when `heartbeatMs` is set:
   * as in CouchDB, a heartbeat keeps the feed open until `limit` is reached or the client goes away.
   */
  timeoutMs?: number;
  /** Yields a heartbeat after each such quiet period. */
  heartbeatMs?: number;
  /** Ends after the first batch of changes (longpoll with a heartbeat). */
  once?: boolean;
  /** The client went away: the feed ends, leaving no waiter behind. */
  signal: AbortSignal;
}

/** What a feed yields: rows to send, a quiet period to mark with a heartbeat, and last its end. */
export type FeedEvent =
  { kind: 'changes'; results: ChangeEntry[] } | { kind: 'heartbeat' } | { kind: 'end'; lastSeq: number };

/**
 * A `_changes` feed that stays open (continuous, eventsource, longpoll with heartbeat): first the
 * backlog after `since`, page by page, then each write as it commits (woken by the notifier, so an
 * idle feed costs one timer and no query). It ends when `limit` rows were yielded, after `timeoutMs`
 * of quiet (without heartbeat), or when `signal` or `shutdown` aborts; the last event is always `end`
 * with the seq a client resumes from. Never rejects on abort, and leaves no listener behind.
 */
export async function* changesFeed(
  store: DocumentStore,
  notifier: ChangeNotifier,
  instanceId: string,
  options: FeedOptions,
  now: () => number = Date.now,
  /** The server is stopping: end the feed as if its client had left, with a proper `end`. */
  shutdown?: AbortSignal,
): AsyncGenerator<FeedEvent> {
  const { heartbeatMs, once, timeoutMs, ...query } = options;
  const stop = new AbortController();
  const abort = () => stop.abort();
  for (const s of [options.signal, shutdown]) s?.addEventListener('abort', abort, { once: true });
  if (options.signal.aborted || shutdown?.aborted) abort();
  try {
    yield* follow(store, notifier, instanceId, { ...query, since: options.since, signal: stop.signal }, now, {
      quietMs: heartbeatMs ?? timeoutMs ?? DEFAULT_LONGPOLL_MS,
      heartbeat: heartbeatMs !== undefined,
      once: once === true,
    });
  } finally {
    for (const s of [options.signal, shutdown]) s?.removeEventListener('abort', abort);
  }
}

async function* follow(
  store: DocumentStore,
  notifier: ChangeNotifier,
  instanceId: string,
  options: Omit<FeedOptions, 'heartbeatMs' | 'once' | 'timeoutMs'>,
  now: () => number,
  mode: { quietMs: number; heartbeat: boolean; once: boolean },
): AsyncGenerator<FeedEvent> {
  const { signal, ...query } = options;
  const { quietMs, heartbeat, once } = mode;
  let since = options.since;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let quietSince = now();
  while (!signal.aborted && remaining > 0) {
    const page = await changes(store, notifier, instanceId, {
      ...query,
      since,
      limit: Math.min(remaining, FEED_PAGE),
    });
    since = page.last_seq;
    if (page.results.length > 0) {
      remaining -= page.results.length;
      quietSince = now();
      yield { kind: 'changes', results: page.results };
      if (once) break;
      continue;
    }
    const left = quietSince + quietMs - now();
    if (left > 0 && (await notifier.waitForChange(instanceId, since, left, signal))) continue;
    if (signal.aborted) break;
    if (!heartbeat) break;
    quietSince = now();
    yield { kind: 'heartbeat' };
  }
  yield { kind: 'end', lastSeq: since };
}
