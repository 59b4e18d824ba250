import { resolve } from 'node:path';
import { ConfigError } from './errors.js';

/** Everything the stack is configured with, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL; absent means SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** Largest request body accepted by the JSON APIs, in bytes. */
  bodyLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Trust X-Forwarded-* from a reverse proxy (for https detection and client addresses). */
  trustProxy: boolean;
  /** The instance created on first start when there is none. */
  defaultInstance: string;
  /** Revisions of history kept per document branch (CouchDB's revs_limit). */
  revsLimit: number;
  /** A redis:// URL: events then travel over Redis pub/sub between processes; absent means in-process. */
  redisUrl: string | undefined;
  /** Job runner timing (docs/jobs.md): the longest sleep while work is pending, and how often every
   * instance is asked again for jobs queued by another process. */
  jobs: { pollMs: number; rescanMs: number };
  /** Bytes of file content each instance may store (NUAGE_QUOTA_BYTES); undefined means unlimited. */
  quotaBytes: number | undefined;
  /** How app origins are named: `drive.alice.example.org` (nested) or `alice-drive.example.org` (flat). */
  appsDomains: 'nested' | 'flat';
  /** Catalogs of apps beyond the first-party one, by URL (NUAGE_CATALOGS, comma-separated). */
  catalogs: string[];
  /** Days an entry stays in the trash before the daily pass deletes it for good; 0 keeps it forever. */
  trashDays: number;
  /** Earlier contents kept per file when it is overwritten (NUAGE_FILE_VERSIONS); 0 keeps none. */
  fileVersions: number;
  /** Install the catalog's default apps (Home, Drive, Contacts, Calendar) on each instance's first use. */
  defaultApps: boolean;
}

export interface ConfigInput {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
  database?: string | undefined;
  redis?: string | undefined;
  appsDomains?: string | undefined;
}

/**
 * Builds the configuration from command-line flags, then environment variables, then defaults.
 * Every invalid value is reported in one ConfigError, so a user fixes them all at once.
 */
export function loadConfig(flags: ConfigInput, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const portText = flags.port ?? env.NUAGE_PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`invalid port "${portText}"`);

  const databaseUrl = flags.database ?? env.NUAGE_DATABASE_URL ?? undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`unsupported database URL "${databaseUrl}": use postgres://… or leave it out for SQLite`);
  }

  const limitText = env.NUAGE_BODY_LIMIT ?? String(32 * 1024 * 1024);
  const bodyLimit = Number(limitText);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024)
    problems.push(`invalid NUAGE_BODY_LIMIT "${limitText}"`);

  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = (env.NUAGE_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!levels.includes(logLevel)) problems.push(`invalid NUAGE_LOG_LEVEL "${logLevel}"`);

  const revsText = env.NUAGE_REVS_LIMIT ?? '1000';
  const revsLimit = Number(revsText);
  if (!Number.isInteger(revsLimit) || revsLimit < 1 || revsLimit > 100_000) {
    problems.push(`invalid NUAGE_REVS_LIMIT "${revsText}": use a whole number from 1 to 100000`);
  }

  const redisUrl = flags.redis ?? env.NUAGE_REDIS_URL ?? undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
    problems.push(`unsupported Redis URL "${redisUrl}": use redis://host:6379 or rediss://…`);
  }

  const pollMs = Number(env.NUAGE_JOBS_POLL_MS ?? '1000');
  if (!Number.isInteger(pollMs) || pollMs < 10)
    problems.push(`invalid NUAGE_JOBS_POLL_MS "${env.NUAGE_JOBS_POLL_MS}"`);
  const rescanMs = Number(env.NUAGE_JOBS_RESCAN_MS ?? '60000');
  if (!Number.isInteger(rescanMs) || rescanMs < 100)
    problems.push(`invalid NUAGE_JOBS_RESCAN_MS "${env.NUAGE_JOBS_RESCAN_MS}"`);

  const quotaText = env.NUAGE_QUOTA_BYTES;
  const quotaBytes = quotaText === undefined || quotaText === '' ? undefined : Number(quotaText);
  if (quotaBytes !== undefined && (!Number.isSafeInteger(quotaBytes) || quotaBytes < 0)) {
    problems.push(`invalid NUAGE_QUOTA_BYTES "${quotaText}": use a whole number of bytes`);
  }

  const trashText = env.NUAGE_TRASH_DAYS ?? '30';
  const trashDays = Number(trashText);
  if (!Number.isInteger(trashDays) || trashDays < 0 || trashDays > 36500)
    problems.push(`invalid NUAGE_TRASH_DAYS "${trashText}": use a whole number of days, 0 to keep forever`);
  const versionsText = env.NUAGE_FILE_VERSIONS ?? '10';
  const fileVersions = Number(versionsText);
  if (!Number.isInteger(fileVersions) || fileVersions < 0 || fileVersions > 1000)
    problems.push(`invalid NUAGE_FILE_VERSIONS "${versionsText}": use a whole number from 0 to 1000`);
  const appsDomains = flags.appsDomains ?? env.NUAGE_APPS_DOMAINS ?? 'nested';
  if (appsDomains !== 'nested' && appsDomains !== 'flat')
    problems.push(`invalid apps domains "${appsDomains}": use nested or flat`);
  const catalogs = (env.NUAGE_CATALOGS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const url of catalogs) if (!/^https?:\/\/./.test(url)) problems.push(`invalid catalog URL "${url}"`);

  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return {
    port,
    host: flags.host ?? env.NUAGE_HOST ?? '0.0.0.0',
    dataDir: resolve(flags.data ?? env.NUAGE_DATA ?? './data'),
    databaseUrl,
    bodyLimit,
    logLevel,
    trustProxy: env.NUAGE_TRUST_PROXY === '1' || env.NUAGE_TRUST_PROXY === 'true',
    defaultInstance: env.NUAGE_DEFAULT_INSTANCE ?? 'localhost',
    revsLimit,
    redisUrl,
    jobs: { pollMs, rescanMs },
    quotaBytes,
    appsDomains: appsDomains as Config['appsDomains'],
    catalogs,
    trashDays,
    fileVersions,
    defaultApps: env.NUAGE_DEFAULT_APPS !== '0' && env.NUAGE_DEFAULT_APPS !== 'false',
  };
}
