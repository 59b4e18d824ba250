import type { RecordTable } from '../ports/store/store.js';

/** What the account functions need of an instance: its records and a clock (injected for tests). */
export interface AccountContext {
  readonly records: RecordTable;
  readonly now: () => number;
}
