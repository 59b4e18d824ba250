import { appServiceWorker } from '../apps/app-services.js';
import type { AppsService, StagedApp } from '../apps/apps-service.js';
import { createApps } from '../apps/index.js';
import { loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../http/framework/log.js';
import { Instances } from '../instances/instances.js';
import type { JobScope } from '../jobs/service.js';
import { createJobs } from '../jobs/index.js';
import { DocumentService } from '../data/documents.js';
import { ChangeNotifier } from '../data/notifier.js';
import { purgeDoctypes } from '../apps/purge.js';
import { openStore } from '../ports/store/open-store.js';
import { parse, required, STORAGE_FLAGS } from './args.js';
import type { CliIo } from './io.js';

const USAGE =
  'usage: nuage app install <source> | list | update <slug> | uninstall <slug> --instance <domain> [--yes]';

/**
 * `nuage app …`: the same install, update and removal as the Home, on the data directory or database
 * without a server. Installing prints the permissions asked for and needs `--yes` to accept them.
 */
export async function appCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    ...STORAGE_FLAGS,
    instance: { type: 'string' },
    yes: { type: 'boolean' },
    'delete-data': { type: 'boolean' },
  });
  if (!['install', 'list', 'update', 'uninstall'].includes(sub ?? '')) throw new ConfigError(USAGE);
  const domain = required(values.instance, '--instance <domain>');
  const config = loadConfig(values);
  const store = await openStore(config);
  const logger = createLogger('error');
  // Triggers of app services are stored through the job service; nothing runs in this process.
  const jobs = createJobs({
    store,
    now: Date.now,
    logger,
    notifier: new ChangeNotifier(),
    config: config.jobs,
  });
  await jobs.stop();
  const documents = new DocumentService({ revsLimit: config.revsLimit });
  const apps = createApps({
    config,
    now: Date.now,
    logger,
    jobs: () => jobs.service,
    purge: purgeDoctypes(documents),
  });
  jobs.workers.register(appServiceWorker({ apps, stackUrl: () => null }));
  try {
    const instances = new Instances(store, Date.now);
    const instance = await instances.get(domain);
    const scope: JobScope = { instance, storage: await instances.storage(instance) };
    await apps.ensureDefaults(scope);
    switch (sub) {
      case 'list':
        for (const a of await apps.list(scope)) {
          const waiting = a.pendingUpdate ? `\t(update ${a.pendingUpdate.version} waits for consent)` : '';
          io.out(`${a.slug}\t${a.manifest.version}\t${a.source}${waiting}`);
        }
        return;
      case 'install': {
        const staged = await apps.stage(scope, required(positionals[0], 'the app source'));
        await consent(apps, scope, staged, values.yes === true, io);
        const app = await apps.install(scope, staged.id);
        io.out(`installed ${app.slug} ${app.manifest.version}`);
        return;
      }
      case 'update': {
        const slug = required(positionals[0], 'the app slug');
        const result = await apps.update(scope, slug);
        if (result.applied) io.out(`updated ${slug} to ${result.app.manifest.version}`);
        else if (!result.staged) io.out(`${slug} is up to date`);
        else {
          await consent(apps, scope, result.staged, values.yes === true, io);
          const app = await apps.install(scope, result.staged.id);
          io.out(`updated ${slug} to ${app.manifest.version}`);
        }
        return;
      }
      case 'uninstall': {
        const slug = required(positionals[0], 'the app slug');
        if (values['delete-data']) {
          const { deleted } = await apps.uninstall(scope, slug, { deleteData: true });
          io.out(`uninstalled ${slug} and deleted ${deleted} documents only it used`);
        } else {
          await apps.uninstall(scope, slug);
          io.out(`uninstalled ${slug} (its documents are kept; --delete-data removes them)`);
        }
        return;
      }
    }
  } finally {
    documents.close();
    await store.close();
  }
}

async function consent(
  apps: AppsService,
  scope: JobScope,
  staged: StagedApp,
  yes: boolean,
  io: CliIo,
): Promise<void> {
  const m = staged.manifest;
  io.out(`${m.name} ${m.version} (${m.slug}) asks for:`);
  for (const p of Object.values(m.permissions)) {
    const verbs = p.verbs === 'ALL' ? 'all access' : p.verbs.join(', ');
    io.out(`  ${p.type}: ${verbs}${p.description ? ` — ${p.description}` : ''}`);
  }
  if (Object.keys(m.permissions).length === 0) io.out('  no access to your data');
  if (!yes) {
    await apps.discardStaged(scope, staged.id);
    throw new ConfigError('nothing installed: run again with --yes to accept these permissions');
  }
}
