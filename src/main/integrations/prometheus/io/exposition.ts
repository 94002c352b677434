import { FAMILIES, type Collected, type FamilyKey } from '../families';
import type { RenderExposition } from '../../ports';

/**
 * Renders the collected families in the Prometheus text format with prom-client: one registry
 * per app, a gauge or counter per family whose `collect` lays in the scrape's samples, plus
 * process figures (CPU, resident memory, heap in use) under `rackdeck_`.
 */
export function promClientExposition(): RenderExposition {
  // prom-client is loaded by the first scrape, not by every start of the engine (a CLI command).
  let built: Promise<RenderExposition> | undefined;
  return async (collected) => (await (built ??= build()))(collected);
}

async function build(): Promise<RenderExposition> {
  // prom-client is CommonJS: bundled, a dynamic import of it has only the module as `default`
  // (Node's own loader adds the named exports too, so `default` is the one spelling both share).
  const { Counter, Gauge, Registry } = (await import('prom-client')).default;
  const registry = new Registry();
  new Counter({
    name: 'rackdeck_process_cpu_seconds_total',
    help: 'CPU time this Rackdeck process has used (user and system).',
    registers: [registry],
    collect() {
      const { user, system } = process.cpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
  new Gauge({
    name: 'rackdeck_process_resident_memory_bytes',
    help: 'Resident memory of this Rackdeck process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
  new Gauge({
    name: 'rackdeck_process_heap_used_bytes',
    help: 'JavaScript heap in use by this Rackdeck process (a steady climb over days is a leak).',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  let current: Collected = new Map();
  for (const key of Object.keys(FAMILIES) as FamilyKey[]) {
    const f = FAMILIES[key];
    const samples = () => current.get(key) ?? [];
    if (f.type === 'counter') {
      new Counter({
        name: f.name,
        help: f.help,
        labelNames: [...f.labelNames],
        registers: [registry],
        collect() {
          this.reset();
          for (const s of samples()) this.inc(s.labels, s.value);
        },
      });
    } else {
      new Gauge({
        name: f.name,
        help: f.help,
        labelNames: [...f.labelNames],
        registers: [registry],
        collect() {
          this.reset();
          for (const s of samples()) this.set(s.labels, s.value);
        },
      });
    }
  }
  return async (collected) => {
    current = collected;
    return { contentType: registry.contentType, body: await registry.metrics() };
  };
}
