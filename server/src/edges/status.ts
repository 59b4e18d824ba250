import type { App } from '../http/framework/app.js';
import type { Store } from '../ports/store/store.js';

/** `GET /status`: no auth, any host; ok only when the store answers. For load balancers and monitors. */
export function registerStatus(app: App, store: Store): void {
  app.get('/status', async (request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' };
    } catch (error) {
      request.log.error({ err: error }, 'store unreachable');
      return reply.code(503).send({ status: 'unavailable', detail: 'the store does not answer' });
    }
  });
}
