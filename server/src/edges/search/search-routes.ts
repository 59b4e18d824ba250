import { BadRequest } from '../../errors.js';
import { instanceOf, requireAuth } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import { can, canWhole, readableDoctypes } from '../../permissions/permissions.js';
import { intParam } from '../data/params.js';

/**
 * `GET /search?q=…[&doctypes=a,b][&limit=][&offset=]`: ranked hits across every searchable doctype the
 * caller may read, with highlighted snippets. A token sees only its readable doctypes; where its rules
 * name only some documents, each hit is checked against the document itself.
 */
export function registerSearchRoutes(app: App): void {
  app.get('/search', async (request) => {
    const perms = requireAuth(request);
    const { storage } = instanceOf(request);
    const q = request.query;
    if (q.q === undefined) throw new BadRequest('give the text to search with ?q=');
    const asked =
      q.doctypes === undefined
        ? null
        : q.doctypes
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean);
    const readable = readableDoctypes(perms);
    let doctypes: string[] | 'all';
    if (readable === 'all') doctypes = asked ?? 'all';
    else doctypes = asked === null ? readable : asked.filter((d) => readable.includes(d));
    const limit = intParam(q, 'limit', 100) ?? 20;
    const offset = intParam(q, 'offset', 5000) ?? 0;
    if (doctypes !== 'all' && doctypes.length === 0) return { results: [], hasMore: false };

    const found = await storage.search.search(q.q, { doctypes, limit, offset });
    const partial = [...new Set(found.hits.map((h) => h.doctype))].filter((d) => !canWhole(perms, 'GET', d));
    if (partial.length === 0) return { results: found.hits, hasMore: found.hasMore };
    const allowed = new Set<string>();
    for (const doctype of partial) {
      const ids = found.hits.filter((h) => h.doctype === doctype).map((h) => h.id);
      const docs = await storage.documents.getDocs(doctype, ids);
      docs.forEach((doc) => {
        if (doc && !doc.deleted && can(perms, 'GET', doctype, { ...doc.body, _id: doc.id }))
          allowed.add(`${doctype}\u0000${doc.id}`);
      });
    }
    const results = found.hits.filter(
      (h) => !partial.includes(h.doctype) || allowed.has(`${h.doctype}\u0000${h.id}`),
    );
    return { results, hasMore: found.hasMore };
  });
}
