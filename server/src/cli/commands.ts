import { createDevicePassword, listDevicePasswords, revokeDevicePassword } from '../auth/device-passwords.js';
import { createToken, parseDuration } from '../auth/tokens.js';
import { loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { Instances } from '../instances/instances.js';
import { parseScope } from '../permissions/permissions.js';
import { DiskBlobStore } from '../ports/blob/disk-blob-store.js';
import { openStore } from '../ports/store/open-store.js';
import { join } from 'node:path';
import { parse, required, STORAGE_FLAGS } from './args.js';
import { readPassword, type CliIo } from './io.js';

/** Opens the configured storage for the duration of one command, without a server. */
async function withInstances<T>(
  flags: { data?: string | undefined; database?: string | undefined },
  run: (instances: Instances) => Promise<T>,
): Promise<T> {
  const config = loadConfig(flags);
  const store = await openStore(config);
  try {
    const blobs = new DiskBlobStore(join(config.dataDir, 'blobs'));
    return await run(new Instances(store, Date.now, [(instance) => blobs.removeScope(instance.id)]));
  } finally {
    await store.close();
  }
}

export async function instanceCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values, positionals } = parse(rest, {
        ...STORAGE_FLAGS,
        owner: { type: 'string' },
        'password-file': { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      const domain = required(positionals[0], 'the instance domain (nuage instance create <domain> …)');
      const owner = required(values.owner, '--owner <name>');
      const password = await readPassword(io, values['password-file'], values['password-stdin']);
      await withInstances(values, async (instances) => {
        const record = await instances.create(domain, { name: owner, password });
        io.out(`created ${record.domain} (owner ${owner})`);
      });
      return;
    }
    case 'list': {
      const { values } = parse(rest, STORAGE_FLAGS);
      await withInstances(values, async (instances) => {
        for (const i of await instances.list()) io.out(`${i.domain}\t${i.createdAt}`);
      });
      return;
    }
    case 'destroy': {
      const { values, positionals } = parse(rest, { ...STORAGE_FLAGS, yes: { type: 'boolean' } });
      const domain = required(positionals[0], 'the instance domain');
      if (!values.yes)
        throw new ConfigError(`destroying ${domain} deletes all its data: add --yes to confirm`);
      await withInstances(values, async (instances) => {
        await instances.destroy(domain);
        io.out(`destroyed ${domain}`);
      });
      return;
    }
    default:
      throw new ConfigError('usage: nuage instance create|list|destroy …');
  }
}

export async function devicePasswordCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    ...STORAGE_FLAGS,
    instance: { type: 'string' },
    name: { type: 'string' },
  });
  const domain = required(values.instance, '--instance <domain>');
  await withInstances(values, async (instances) => {
    const accounts = await instances.accounts(await instances.get(domain));
    switch (sub) {
      case 'create': {
        const { password } = await createDevicePassword(accounts, required(values.name, '--name <label>'));
        io.out(password);
        return;
      }
      case 'list':
        for (const d of await listDevicePasswords(accounts)) io.out(`${d.id}\t${d.name}\t${d.createdAt}`);
        return;
      case 'revoke': {
        const which = required(positionals[0] ?? values.name, 'the device password id or --name');
        const revoked = await revokeDevicePassword(accounts, which);
        io.out(`revoked ${revoked.name}`);
        return;
      }
      default:
        throw new ConfigError('usage: nuage device-password create|list|revoke --instance <domain> …');
    }
  });
}

export async function tokenCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new ConfigError('usage: nuage token create --instance <domain> --scope <doctype>[:VERBS] …');
  const { values } = parse(rest, {
    ...STORAGE_FLAGS,
    instance: { type: 'string' },
    scope: { type: 'string', multiple: true },
    ttl: { type: 'string' },
    label: { type: 'string' },
  });
  const domain = required(values.instance, '--instance <domain>');
  if (!values.scope?.length) throw new ConfigError('give at least one --scope <doctype>[:VERB,VERB]');
  const rules = values.scope.map(parseScope);
  const ttlMs = values.ttl ? parseDuration(values.ttl) : null;
  await withInstances(values, async (instances) => {
    const accounts = await instances.accounts(await instances.get(domain));
    const { token } = await createToken(accounts, { rules, ttlMs, label: values.label ?? 'cli' });
    io.out(token);
  });
}
