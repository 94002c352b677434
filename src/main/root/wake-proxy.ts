import { isTransitional } from '../../shared/power';
import { tcpProxyIo } from '../wake-proxy/io/tcp-proxy';
import type { ProxyIo, WakeResult } from '../wake-proxy/ports';
import { WakeProxyService } from '../wake-proxy/service';
import type { Core } from './core';

/**
 * Builds wake on demand (issue 17) on the core: it reads servers and their state from the
 * engine, wakes through power control exactly as `rackdeck wake` does (`power.run`, then the
 * transition followed to its end), keeps its listeners in `settings.wakeProxy`, and runs with
 * the engine (its listeners bind while the loops run).
 */
export function composeWakeProxy(core: Core, io: ProxyIo = tcpProxyIo): WakeProxyService {
  const { engine, power } = core;
  const wake = async (id: string): Promise<WakeResult> => {
    let state = engine.view(id)?.power;
    // Not probed yet (just added, a fresh start): look before deciding to wake.
    if (state === 'unknown') state = (await engine.refresh(id)).power;
    // Going down or rebooting: let that finish first; a wake is refused while it lasts.
    if (state && isTransitional(state) && state !== 'waking') {
      await power.waitSettled(id);
      state = engine.view(id)?.power;
    }
    if (state === 'on') return { ok: true };
    if (state !== 'waking') power.run(id, 'wake');
    const outcome = await power.waitSettled(id);
    return outcome === 'reached' ? { ok: true } : { ok: false, reason: engine.view(id)?.lastError?.message ?? `the wake ended ${outcome}` };
  };
  const service: WakeProxyService = new WakeProxyService(
    {
      clock: engine.clock,
      log: engine.log,
      server: (ref) => engine.find(ref),
      power: (id) => engine.view(id)?.power,
      wake,
      settings: { read: () => engine.settings.wakeProxy, write: (next) => void engine.updateSettings({ wakeProxy: next }) },
      emitCounts: () => engine.events.emit('wakeProxy.counts', service.counts()),
    },
    io,
  );
  // A server removed or back reaches the faces as a patch; a hand edit of config.json (settings
  // included) as a notice: the listeners follow either (a resync that changes nothing costs nothing).
  engine.events.on('servers.patch', () => service.resync());
  engine.events.on('notice', () => service.resync());
  engine.attach(service);
  return service;
}
