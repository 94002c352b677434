import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collect, FAMILIES, type Collected, type FamilyKey } from '../../src/main/integrations/prometheus/families';
import { renderTextFormat, TEXT_FORMAT_CONTENT_TYPE } from '../../src/main/integrations/prometheus/text-format';
import { textExposition } from '../../src/main/integrations/prometheus/io/exposition';
import type { ServerView } from '../../src/shared/server';

/**
 * The exposition is written by hand (text-format.ts) instead of through prom-client's registry,
 * which made ~50 MB of garbage per scrape of 1 000 servers. Scrapers and dashboards must not see
 * the difference: prom-client, still a dependency, renders the same families as the reference.
 */

/** What the exporter did before: a prom-client registry whose metrics lay in the scrape's samples. */
async function promClientText(collected: Collected): Promise<string> {
  const registry = new Registry();
  for (const key of Object.keys(FAMILIES) as FamilyKey[]) {
    const f = FAMILIES[key];
    const samples = collected.get(key) ?? [];
    if (f.type === 'counter') {
      new Counter({ name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry], collect() {
        this.reset();
        for (const s of samples) this.inc(s.labels, s.value);
      } });
    } else {
      new Gauge({ name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry], collect() {
        this.reset();
        for (const s of samples) this.set(s.labels, s.value);
      } });
    }
  }
  return registry.metrics();
}

const view = (over: Partial<ServerView> = {}): ServerView => ({ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.122.1', ports: [22], power: 'on', since: 1_000, openPorts: {}, ...over });

function scrape(servers: ServerView[], extra: { remote?: boolean } = {}): Collected {
  return collect({
    now: 61_000,
    version: '1.2.3',
    startedAt: 500,
    servers,
    latest: new Map([['nas', { t: 60_000, cpu: 12.5, memUsed: 100, load1: 0.25 }]]),
    alerts: [{ id: 'a1', ruleId: 'r', ruleName: 'CPU "high"\\ over\nlimit', kind: 'cpu', severity: 'warning', subject: 'nas', serverId: 'nas', serverName: 'nas', title: 't', body: 'b', state: 'active', startedAt: 0, updatedAt: 0, acknowledgedAt: 5 }],
    loops: [
      { name: 'status', runs: 3, failures: 1, lastMs: 20, totalMs: 50 },
      { name: 'watch', runs: 0, failures: 0, lastMs: 0, totalMs: 0 },
    ],
    ...(extra.remote ? { remote: { sent: 10, pending: 0, dropped: 2, bufferBytes: 4096 } } : {}),
  });
}

describe('the Prometheus text format', () => {
  const guest = view({ id: 'web', name: 'web "front"', kind: 'vm', power: 'stopped', parentId: 'pve', desired: 'on', proxmox: { cluster: 'lab', node: 'pve', type: 'qemu', vmid: 101, status: 'stopped', maxcpu: 2, maxmem: 2048, uptime: 0 } });
  const odd = view({ id: 'odd', name: 'back\\slash\nnew line', lastSeen: 2_000 });

  it('is what prom-client wrote for the same families, escapes and empty families included', async () => {
    for (const collected of [scrape([view(), guest, odd]), scrape([], { remote: true }), scrape([view()])]) {
      expect(renderTextFormat((Object.keys(FAMILIES) as FamilyKey[]).map((k) => [FAMILIES[k], collected.get(k) ?? []]))).toBe(await promClientText(collected));
    }
  });

  it('writes a family without labels as 0 when it has no sample, and quotes label values', () => {
    const text = renderTextFormat([
      [{ name: 'x_total', help: 'a\\b', type: 'counter', labelNames: [] }, []],
      [{ name: 'y', help: 'y', type: 'gauge', labelNames: ['a'] }, [{ labels: { a: 'say "hi"' }, value: 1.5 }]],
    ]);
    expect(text).toBe('# HELP x_total a\\\\b\n# TYPE x_total counter\nx_total 0\n\n# HELP y y\n# TYPE y gauge\ny{a="say \\"hi\\""} 1.5\n');
  });

  it('puts the process figures first, with the content type Prometheus expects', async () => {
    const { contentType, body } = await textExposition()(scrape([view()]));
    expect(contentType).toBe(TEXT_FORMAT_CONTENT_TYPE);
    expect(body).toMatch(/^# HELP rackdeck_process_cpu_seconds_total [^\n]+\n# TYPE rackdeck_process_cpu_seconds_total counter\nrackdeck_process_cpu_seconds_total \d/);
    expect(body).toMatch(/\nrackdeck_process_heap_used_bytes [1-9]\d*\n\n# HELP rackdeck_info /);
    expect(body).toContain('rackdeck_server_up{server_id="nas",server="nas"} 1\n');
  });
});
