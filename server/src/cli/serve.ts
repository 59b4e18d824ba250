import { loadConfig } from '../config.js';
import { createStack, ensureDefaultInstance } from '../main.js';
import { parse, STORAGE_FLAGS } from './args.js';
import type { CliIo } from './io.js';

/** `nuage serve`: runs the stack until SIGTERM or SIGINT, then shuts down gracefully. */
export async function serveCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = parse(args, {
    ...STORAGE_FLAGS,
    port: { type: 'string' },
    host: { type: 'string' },
    redis: { type: 'string' },
    'apps-domains': { type: 'string' },
  });
  const config = loadConfig({ ...values, appsDomains: values['apps-domains'] });
  const stack = await createStack(config);
  await ensureDefaultInstance(stack);
  const address = await stack.listen();
  const port = new URL(address).port;
  io.err(`Nuage is listening on ${address} — open http://${config.defaultInstance}:${port}/ in a browser`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stack.app.log.info({ signal }, 'shutting down');
      stack.close().then(resolve, (error: unknown) => {
        stack.app.log.error({ err: error }, 'error while shutting down');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
