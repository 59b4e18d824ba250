import type { FindService } from '../../data/find.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { reach, readFilter } from './access.js';

/**
 * Mango on `/data/<doctype>/`: `_find`, `_explain`, and `_index` to create, list and delete the
 * indexes `_find` uses. Queries are reads (GET permission); managing indexes needs POST or DELETE.
 */
export function registerQueryRoutes(app: App, find: FindService): void {
  app.post('/data/:doctype/_find', async (request) => {
    const { doctype = '' } = request.params;
    const r = reach(request, 'GET', doctype);
    const filter = readFilter(r, doctype);
    return find.find(instanceOf(request), doctype, request.body, filter ? { filter } : {});
  });

  app.post('/data/:doctype/_explain', async (request) => {
    const { doctype = '' } = request.params;
    reach(request, 'GET', doctype);
    return find.explain(instanceOf(request), doctype, request.body);
  });

  app.get('/data/:doctype/_index', async (request) => {
    const { doctype = '' } = request.params;
    reach(request, 'GET', doctype);
    return find.listIndexes(instanceOf(request), doctype);
  });

  app.post('/data/:doctype/_index', async (request) => {
    const { doctype = '' } = request.params;
    reach(request, 'POST', doctype);
    return find.createIndex(instanceOf(request), doctype, request.body);
  });

  const remove = async (request: Request) => {
    const { doctype = '', ddoc = '', name = '' } = request.params;
    reach(request, 'DELETE', doctype);
    return find.deleteIndex(instanceOf(request), doctype, ddoc, name);
  };
  app.delete('/data/:doctype/_index/:ddoc/json/:name', remove);
  app.delete('/data/:doctype/_index/_design/:ddoc/json/:name', remove);
}
