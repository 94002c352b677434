import { FAMILIES, type Family, type FamilyKey } from '../families';
import type { RenderExposition } from '../../ports';
import { renderTextFormat, TEXT_FORMAT_CONTENT_TYPE, type ExpositionSection } from '../text-format';

const PROCESS = {
  cpu: { name: 'rackdeck_process_cpu_seconds_total', help: 'CPU time this Rackdeck process has used (user and system).', type: 'counter', labelNames: [] },
  rss: { name: 'rackdeck_process_resident_memory_bytes', help: 'Resident memory of this Rackdeck process.', type: 'gauge', labelNames: [] },
  heap: { name: 'rackdeck_process_heap_used_bytes', help: 'JavaScript heap in use by this Rackdeck process (a steady climb over days is a leak).', type: 'gauge', labelNames: [] },
} satisfies Record<string, Family>;

/**
 * Renders the collected families in the Prometheus text format, after the process's own figures
 * (CPU, resident memory, heap in use) under `rackdeck_`, read at the scrape.
 */
export function textExposition(): RenderExposition {
  return async (collected) => {
    const { user, system } = process.cpuUsage();
    const { rss, heapUsed } = process.memoryUsage();
    const sections: ExpositionSection[] = [
      [PROCESS.cpu, [{ labels: {}, value: (user + system) / 1e6 }]],
      [PROCESS.rss, [{ labels: {}, value: rss }]],
      [PROCESS.heap, [{ labels: {}, value: heapUsed }]],
      ...(Object.keys(FAMILIES) as FamilyKey[]).map((key): ExpositionSection => [FAMILIES[key], collected.get(key) ?? []]),
    ];
    return { contentType: TEXT_FORMAT_CONTENT_TYPE, body: renderTextFormat(sections) };
  };
}
