import { join } from 'node:path';
import { appServiceWorker } from './apps/app-services.js';
import type { AppsService } from './apps/apps-service.js';
import { createApps } from './apps/index.js';
import { purgeDoctypes } from './apps/purge.js';
import { appSite } from './edges/apps/app-site.js';
import { registerAppsRoutes } from './edges/apps/apps-routes.js';
import { appsCors } from './edges/apps/cors.js';
import type { App } from './http/framework/app.js';
import { LoginRateLimiter } from './auth/rate-limit.js';
import type { Config } from './config.js';
import { DocumentService } from './data/documents.js';
import { FindService } from './data/find.js';
import { registerDataEdge } from './edges/data/index.js';
import { registerFilesChangesRoute } from './edges/files/changes-route.js';
import { registerFilesRoutes } from './edges/files/files-routes.js';
import { registerShareRoutes } from './edges/files/share-routes.js';
import { registerWebdav } from './edges/webdav/webdav-routes.js';
import { registerPimDav } from './edges/pimdav/routes.js';
import { FilesService } from './files/files-service.js';
import { OrphanSweeper, sweepWorker } from './files/orphans.js';
import { createThumbnails } from './files/thumbnails/index.js';
import { registerThumbnailRoutes } from './edges/files/thumbnail-routes.js';
import { DiskBlobStore } from './ports/blob/disk-blob-store.js';
import { registerJobsRoutes } from './edges/jobs/jobs-routes.js';
import { createJobs, type Jobs } from './jobs/index.js';
import { registerSearchRoutes } from './edges/search/search-routes.js';
import { registerAuthRoutes } from './edges/web/auth-routes.js';
import { registerHome } from './edges/web/home.js';
import { registerSettingsRoutes } from './edges/web/settings-routes.js';
import { registerInstanceInfo } from './edges/web/instance-routes.js';
import { registerSmtpRoutes } from './edges/web/smtp-routes.js';
import { registerStatus } from './edges/status.js';
import { Authenticator } from './http/authenticate.js';
import { buildHttp } from './http/server.js';
import { Instances } from './instances/instances.js';
import { createLogger, type Logger } from './http/framework/log.js';
import type { Bus } from './ports/bus/bus.js';
import { openBus } from './ports/bus/open-bus.js';
import type { Lock } from './ports/lock/lock.js';
import { openLock } from './ports/lock/open-lock.js';
import { openStore } from './ports/store/open-store.js';
import type { Store } from './ports/store/store.js';
import { DocumentEvents } from './realtime/events.js';
import { RealtimeHub } from './realtime/hub.js';

export interface Stack {
  readonly config: Config;
  readonly app: App;
  readonly store: Store;
  readonly instances: Instances;
  readonly documents: DocumentService;
  /** The file tree (docs/files.md): io.nuage.files documents with contents in a BlobStore. */
  readonly files: FilesService;
  /** Removes blobs no file names and stale temp files, after start-up and daily (docs/files.md). */
  readonly orphans: OrphanSweeper;
  /** The job runner, trigger watcher and service (docs/jobs.md). */
  readonly jobs: Jobs;
  /** Carries write events between the parts of this process and, over Redis, to other processes. */
  readonly bus: Bus;
  /** Guards check-then-writes (a name in a directory) across this process and, over Redis, the others. */
  readonly lock: Lock;
  readonly realtime: RealtimeHub;
  /** Installed apps and their services (docs/apps.md). */
  readonly apps: AppsService;
  /** Starts listening; resolves with the bound address (useful with port 0 in tests). */
  listen(): Promise<string>;
  /** Closes realtime sockets, stops accepting requests, lets in-flight ones finish, then closes the bus and store. */
  close(): Promise<void>;
}

export interface StackOptions {
  /** The clock, injected so tests control time (sessions, tokens, rate limits, TOTP). */
  now?: () => number;
  /** An already open store (tests share one between a CLI call and a stack). */
  store?: Store;
  logger?: Logger;
  /** An already open bus (tests join two stacks with one); else config.redisUrl chooses one. */
  bus?: Bus;
}

/**
 * The composition root: config → ports → services → edges. No globals: a test builds a whole stack on a
 * temporary directory in milliseconds, and several stacks can live in one process.
 */
export async function createStack(config: Config, options: StackOptions = {}): Promise<Stack> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger(config.logLevel);
  const store =
    options.store ??
    (await openStore({
      ...config,
      onError: (error) => logger.warn({ err: error }, 'store background work failed'),
    }));
  const blobs = new DiskBlobStore(join(config.dataDir, 'blobs'));
  const instances = new Instances(store, now, [(instance) => blobs.removeScope(instance.id)]);
  const limiter = new LoginRateLimiter(now);
  const authenticator = new Authenticator(limiter, now);

  const onBusError = (error: unknown): void => logger.error({ err: error }, 'event bus error');
  const bus = options.bus ?? (await openBus(config, onBusError));
  const events = new DocumentEvents(bus, onBusError);
  // Redis whenever the bus is: the setting that lets several processes share one database.
  const lock = await openLock(config, (error) => logger.error({ err: error }, 'lock error'));
  // `jobs` is built below; the apps service asks for it only when an app changes.
  const apps = createApps({
    config,
    now,
    logger,
    jobs: () => jobs.service,
    purge: (scope, doctypes) => purgeDoctypes(documents)(scope, doctypes),
  });
  const app = buildHttp({ config, logger, instances, authenticator, serveApp: appSite(apps) });
  app.addHook('onRequest', appsCors(apps, config.appsDomains));
  registerStatus(app, store);
  registerHome(app, apps);
  registerAuthRoutes(app, { limiter });
  registerSettingsRoutes(app, { authenticator });
  registerSmtpRoutes(app);
  const documents = new DocumentService({
    now,
    revsLimit: config.revsLimit,
    publisher: events,
    onPublishError: onBusError,
  });
  const find = new FindService({ now });
  registerDataEdge(app, { documents, find });
  registerSearchRoutes(app);
  const files = new FilesService({
    documents,
    blobs,
    quotaBytes: config.quotaBytes,
    versions: config.fileVersions,
    now,
    find,
    lock,
  });
  registerFilesRoutes(app, files);
  registerFilesChangesRoute(app, files);
  const thumbnails = createThumbnails({ files, blobs, logger, now, jobs: () => jobs.service });
  registerThumbnailRoutes(app, files, thumbnails.store);
  registerInstanceInfo(app, { files });
  registerShareRoutes(app, files, { now, thumbnails: thumbnails.store });
  registerWebdav(app, files, { now });
  registerPimDav(app, async () => new (await import('./pim/pim-service.js')).PimService(documents), { now });
  const jobs = createJobs({
    store,
    now,
    logger,
    notifier: documents.notifier,
    documents,
    config: config.jobs,
  });
  const orphans = new OrphanSweeper({
    documents,
    blobs,
    instances,
    logger,
    exclusive: config.databaseUrl === undefined,
    ...(config.trashDays > 0 ? { trash: { files, keepMs: config.trashDays * 86_400_000, now } } : {}),
    alsoKept: (scope) => thumbnails.store.referenced(scope),
  });
  jobs.workers.register(sweepWorker(orphans));
  jobs.workers.register(thumbnails.worker);
  registerJobsRoutes(app, jobs.service);
  // Calendar reminders and thumbnails need triggers per instance: made the first time this process serves it.
  app.addHook('onRequest', async (request) => {
    if (!request.ctx || request.site.kind !== 'instance') return;
    await jobs.reminders?.ensureOnce({ instance: request.ctx.instance, storage: request.ctx.storage });
    await thumbnails.triggers.ensureOnce({ instance: request.ctx.instance, storage: request.ctx.storage });
  });
  registerAppsRoutes(app, apps, config.appsDomains);
  let stackUrl: string | null = null;
  jobs.workers.register(appServiceWorker({ apps, stackUrl: () => stackUrl }));
  await jobs.start();
  const realtime = new RealtimeHub({ instances, authenticator, logger, trustProxy: config.trustProxy });
  app.onUpgrade(realtime.handleUpgrade);
  // The bus is the one path for writes of every process: longpoll readers and sockets hear them here.
  const unsubscribe = await events.subscribe((batch) => {
    documents.notifier.notify(batch.instanceId, batch.seq);
    realtime.dispatch(batch);
  });

  let closed = false;
  return {
    config,
    app,
    store,
    instances,
    documents,
    files,
    orphans,
    jobs,
    bus,
    lock,
    realtime,
    apps,
    async listen() {
      stackUrl = await app.listen({ port: config.port, host: config.host });
      orphans.start();
      return stackUrl;
    },
    async close() {
      if (closed) return;
      closed = true;
      documents.close();
      await realtime.close();
      await app.close();
      await orphans.stop();
      await jobs.stop();
      await unsubscribe();
      await lock.close();
      if (!options.bus) await bus.close();
      if (!options.store) await store.close();
    },
  };
}

/** On first start, with no instance at all, create the default one so the browser shows onboarding. */
export async function ensureDefaultInstance(stack: Stack): Promise<void> {
  if ((await stack.instances.list()).length === 0) {
    await stack.instances.create(stack.config.defaultInstance);
    stack.app.log.info({ instance: stack.config.defaultInstance }, 'created the default instance');
  }
}
