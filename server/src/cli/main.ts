import { ConfigError, NuageError } from '../errors.js';
import { appCommand } from './app.js';
import { devicePasswordCommand, instanceCommand, tokenCommand } from './commands.js';
import { processIo, type CliIo } from './io.js';
import { replicateCommand } from './replicate.js';
import { serveCommand } from './serve.js';

const USAGE = `usage: nuage <command>

  serve [--port N] [--host ADDR] [--data DIR] [--database URL] [--redis URL]
  instance create <domain> --owner <name> (--password-file F | --password-stdin)
  instance list
  instance destroy <domain> --yes
  device-password create --instance <domain> --name <label>
  device-password list --instance <domain>
  device-password revoke --instance <domain> <id|name>
  token create --instance <domain> --scope '<doctype>[:VERB,VERB]' [--scope …] [--ttl 1h]
  app install <source> --instance <domain> [--yes]   (source: catalog slug, git+https://…#ref,
                                                      git+file://…, https://….tar.gz#sha256=…)
  app list --instance <domain>
  app update <slug> --instance <domain> [--yes]
  app uninstall <slug> --instance <domain> [--delete-data]
  replicate --from <url> --to <url> [--from-token T] [--to-token T] [--doctypes a,b] [--continuous]
            [--batch-size N]

Every command but replicate takes --data DIR (or NUAGE_DATA) and --database URL (or NUAGE_DATABASE_URL).
replicate speaks HTTP to running servers: a URL is an instance origin (http://user:password@host:port)
or a CouchDB database URL with {doctype} or {db} in it.`;

/**
 * Runs one `nuage` command and returns its exit code: 0 on success, 2 for a bad call, 1 for a failure.
 * Failures are printed as one line, never as a stack trace.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve':
        await serveCommand(args, io);
        return 0;
      case 'instance':
        await instanceCommand(args, io);
        return 0;
      case 'device-password':
        await devicePasswordCommand(args, io);
        return 0;
      case 'token':
        await tokenCommand(args, io);
        return 0;
      case 'app':
        await appCommand(args, io);
        return 0;
      case 'replicate':
        await replicateCommand(args, io);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        io.err(command ? `nuage: unknown command "${command}"\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`nuage: ${error.message}`);
      return 2;
    }
    if (error instanceof NuageError) {
      io.err(`nuage: ${error.message}`);
      return error.status === 400 ? 2 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`nuage: ${message.split('\n')[0]}`);
    return 1;
  }
}
