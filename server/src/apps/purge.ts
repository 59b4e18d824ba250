import type { DocumentService } from '../data/documents.js';
import type { JobScope } from '../jobs/service.js';

const BATCH = 500;

/**
 * Deletes every live document of the given doctypes, in batches, through the data service (so the
 * deletions replicate, notify and leave tombstones like any other). Returns how many were deleted.
 */
export function purgeDoctypes(documents: DocumentService) {
  return async (scope: JobScope, doctypes: string[]): Promise<number> => {
    let deleted = 0;
    for (const doctype of doctypes) {
      for (;;) {
        const page = await documents.allDocs(scope, doctype, { limit: BATCH });
        const rows = page.rows.filter(
          (r): r is typeof r & { id: string; value: { rev: string } } => 'value' in r,
        );
        if (rows.length === 0) break;
        const results = await documents.bulkDocs(
          scope,
          doctype,
          rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })),
        );
        const done = results.filter((r) => 'ok' in r).length;
        deleted += done;
        if (done === 0) break;
      }
    }
    return deleted;
  };
}
