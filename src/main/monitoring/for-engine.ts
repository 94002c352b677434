import type { Engine } from '../inventory/engine';
import { MonitoringService, type MonitoringOptions } from './service';

const services = new WeakMap<Engine, MonitoringService>();

/**
 * The one MonitoringService of an engine, created on first use and attached to the engine's
 * lifecycle: its loops run and its history is written only while the engine runs. Agent
 * reports reach it through `engine.hooks.recordAgentSample`.
 */
export function monitoringServiceFor(engine: Engine, options: MonitoringOptions): MonitoringService {
  const existing = services.get(engine);
  if (existing) return existing;
  const service = new MonitoringService(engine, options);
  engine.hooks.recordAgentSample ??= (id, sample) => service.recordAgentSample(id, sample);
  engine.attach(service);
  services.set(engine, service);
  return service;
}

/** The service if one was created (tests reach it to drive a tick by hand). */
export function monitoringOf(engine: Engine): MonitoringService | undefined {
  return services.get(engine);
}
