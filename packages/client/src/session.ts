import { NuageError } from './errors.js';

/** A bearer token and when it stops working (ms since the epoch; null or absent: not known). */
export interface TokenGrant {
  token: string;
  expiresAt?: number | null;
}

/** Gets a fresh token; rejects (with a NuageError 401 when the owner's session ended) when it cannot. */
export type RefreshToken = () => Promise<TokenGrant>;

/** A token this close to its expiry is refreshed before use rather than sent to be refused. */
const EARLY_REFRESH_MS = 30_000;

/**
 * Holds the current token of a client and refreshes it: ahead of its known expiry, or when the stack
 * answered 401. Concurrent callers share one refresh, so a burst of refused requests asks once.
 */
export class TokenSession {
  private grant: TokenGrant;
  private pending: Promise<TokenGrant> | null = null;

  constructor(
    grant: TokenGrant,
    private readonly refresher: RefreshToken | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.grant = grant;
  }

  get canRefresh(): boolean {
    return this.refresher !== undefined;
  }

  /** The token to send now, refreshed first when it is about to expire and a refresher exists. */
  async current(): Promise<string> {
    const { expiresAt } = this.grant;
    if (this.refresher && typeof expiresAt === 'number' && expiresAt - this.now() < EARLY_REFRESH_MS) {
      return (await this.refresh()).token;
    }
    return this.grant.token;
  }

  /**
   * Replaces the token with a fresh one. `stale` is the token that was refused: when another caller
   * already replaced it, that newer token is used without asking again.
   */
  async refresh(stale?: string): Promise<TokenGrant> {
    if (!this.refresher) throw new NuageError(401, 'unauthorized', 'unauthorized', 'the token was refused');
    if (stale !== undefined && stale !== this.grant.token) return this.grant;
    this.pending ??= this.refresher()
      .then((grant) => {
        this.grant = grant;
        return grant;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
