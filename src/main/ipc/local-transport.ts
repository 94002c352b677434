import type { Transport } from '../../shared/ipc';
import type { RackdeckApp } from '../root/app';
import type { CallContext } from './router';

/**
 * A transport that calls the router in-process, for the CLI and tests: they use the same typed
 * client, and so the same validation, as the renderer.
 */
export function localTransport(app: RackdeckApp, face: CallContext['face']): Transport {
  return {
    invoke: (channel, input) => app.router.handle(channel, input, { face }),
    on: (event, listener) => app.engine.events.on(event as never, listener as never),
  };
}
