import type { DocumentService } from '../../data/documents.js';
import type { FindService } from '../../data/find.js';
import type { App } from '../../http/framework/app.js';
import { registerBulkRoutes } from './bulk-routes.js';
import { registerChangesRoutes } from './changes-routes.js';
import { registerDocumentRoutes } from './documents-routes.js';
import { registerQueryRoutes } from './query-routes.js';

/** The `/data` edge: the REST API on documents, which is also a CouchDB database per doctype. */
export function registerDataEdge(app: App, deps: { documents: DocumentService; find: FindService }): void {
  registerDocumentRoutes(app, deps.documents);
  registerBulkRoutes(app, deps.documents);
  registerChangesRoutes(app, deps.documents);
  registerQueryRoutes(app, deps.find);
}
