import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../http/framework/log.js';
import type { JobScope, JobService } from '../jobs/service.js';
import { serviceTriggers } from './app-services.js';
import { AppsService } from './apps-service.js';
import { Catalogs } from './catalog.js';

/** The apps service as the server and the CLI build it: files under `<data>/apps`, configured catalogs. */
export function createApps(options: {
  config: Config;
  now: () => number;
  logger: Logger;
  /** Called only once an app is installed, updated or removed, so it may name a service built later. */
  jobs: () => JobService;
  /** Deletes every document of some doctypes (uninstall with its data). */
  purge?: (scope: JobScope, doctypes: string[]) => Promise<number>;
}): AppsService {
  const { config, logger } = options;
  return new AppsService({
    appsDir: join(config.dataDir, 'apps'),
    catalogs: new Catalogs(config.catalogs, options.now, (url, error) =>
      logger.warn({ err: error, catalog: url }, 'an app catalog could not be read'),
    ),
    now: options.now,
    triggers: serviceTriggers(options.jobs),
    installDefaults: config.defaultApps,
    ...(options.purge ? { purge: options.purge } : {}),
    onDefaultError: (slug, error) =>
      logger.warn({ err: error, app: slug }, 'a first-party app could not be installed'),
  });
}
