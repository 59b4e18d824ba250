/**
 * `@nuage/client`: the SDK Nuage apps (pages) and services use to reach their instance. See
 * docs/client.md for the API and the page bootstrap contract.
 */
export { createClient, type ClientOptions, type NuageClient } from './client.js';
export {
  fromPage,
  fromEnv,
  readAppContext,
  META_NAME,
  TOKEN_PATH,
  type AppContext,
  type PageOptions,
} from './bootstrap.js';
export { NuageError, messageOf } from './errors.js';
export type { TokenGrant, RefreshToken } from './session.js';
export type { FetchLike, RequestOptions, QueryValue } from './transport.js';
export {
  Documents,
  type Doc,
  type DocMeta,
  type NewDoc,
  type WriteResult,
  type BulkResult,
  type AllDocsOptions,
  type AllDocsResult,
  type AllDocsRow,
  type ChangesOptions,
  type ChangesResult,
  type Change,
  type MangoSelector,
  type SortField,
  type FindQuery,
  type FindResult,
  type IndexOptions,
  type IndexResult,
} from './documents.js';
export {
  Files,
  ROOT_DIR_ID,
  type FileChange,
  type FileChangesOptions,
  type FileEntry,
  type FileVersion,
  type UploadOptions,
} from './files.js';
export type { UploadBody, ProgressCallback } from './upload.js';
export type { SearchOptions, SearchHit, SearchResult } from './search.js';
export {
  Realtime,
  realtimeUrl,
  type RealtimeEvent,
  type RealtimeEventKind,
  type RealtimeHandler,
  type RealtimeState,
  type WebSocketLike,
  type WebSocketConstructor,
} from './realtime.js';
