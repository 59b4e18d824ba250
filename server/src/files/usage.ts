import type { DocumentService } from '../data/documents.js';
import type { DataScope } from '../data/format.js';
import { bytesOf, FILES, isEntry } from './file-doc.js';

/** Changes read per call while catching up. */
const PAGE = 1000;
/**
 * Instances whose tally is kept, the most recently asked. A tally holds a number per file (about 90
 * bytes with its id), so one server hosting many instances keeps only the busy ones'; another is
 * counted again from its feed when next asked.
 */
const MAX_TALLIES = 8;

interface Tally {
  /** The io.nuage.files change seq the tally has read up to. */
  seq: number;
  total: number;
  /** Bytes of each entry that holds any (content and versions, trashed or not). */
  bytes: Map<string, number>;
  /** The catch-up under way, which later callers join rather than read the same changes again. */
  reading: Promise<void> | null;
}

/**
 * The bytes each instance's files hold (contents, versions and the trash: what the quota counts), kept
 * per instance and process and brought up to date from the io.nuage.files changes feed whenever it is
 * asked. A quota check or a WebDAV quota property then reads only what changed since the last one,
 * instead of every file document of the instance. The feed lists each document once, at its latest
 * state, so the first count reads it from the start, and other processes' writes are counted as this
 * one's are. Memory: one number per entry that holds bytes, for at most MAX_TALLIES instances.
 */
export class FileUsage {
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly documents: DocumentService,
    /** Changes read per call while catching up. */
    private readonly page = PAGE,
    private readonly maxTallies = MAX_TALLIES,
  ) {}

  async used(scope: DataScope): Promise<number> {
    const id = scope.instance.id;
    let tally = this.tallies.get(id);
    // Map order is the order of last use: the first key is the one to forget.
    this.tallies.delete(id);
    tally ??= { seq: 0, total: 0, bytes: new Map(), reading: null };
    this.tallies.set(id, tally);
    if (this.tallies.size > this.maxTallies) this.tallies.delete(this.tallies.keys().next().value!);
    // A catch-up that started before this call may have missed a write this caller already saw.
    while (tally.reading) await tally.reading;
    const reading = this.catchUp(scope, tally).finally(() => (tally.reading = null));
    tally.reading = reading;
    await reading;
    return tally.total;
  }

  private async catchUp(scope: DataScope, tally: Tally): Promise<void> {
    for (;;) {
      const page = await this.documents.changes(scope, {
        doctype: FILES,
        since: tally.seq,
        limit: this.page,
        includeDocs: true,
      });
      for (const row of page.results) {
        const bytes = !row.deleted && row.doc && isEntry(row.doc) ? bytesOf(row.doc) : 0;
        tally.total += bytes - (tally.bytes.get(row.id) ?? 0);
        if (bytes > 0) tally.bytes.set(row.id, bytes);
        else tally.bytes.delete(row.id);
      }
      tally.seq = page.last_seq;
      if (page.results.length < this.page) return;
    }
  }
}
