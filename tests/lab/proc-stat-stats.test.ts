/**
 * Issue 13: live stats on the simulated hosts failed with '/proc/stat: no "cpu" total line'.
 * The console's stats command runs in the lab's shell and its output is read by the same
 * parser a real host's is; the parser is also held to this machine's real /proc/stat.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildHostSpecs } from '../../src/lab/hosts/catalog';
import { SimHost } from '../../src/lab/hosts/host';
import { createSession, runScript, stderrOf, stdoutOf } from '../../src/lab/shell/interpreter';
import { shellFor } from '../../src/lab/shell/shells';
import { parseStatsOutput, STATS_COMMAND } from '../../src/main/consoles/stats/proc-sample';
import { parseProcStat } from '../../src/main/monitoring/metrics';

const plan = { singleAddress: false, firstAddress: '127.0.213.1', basePort: 21300 };
const specs = buildHostSpecs({ count: 6, seed: 13, plan, initialPower: 'on' });

describe('/proc/stat as the live stats read it', () => {
  it('the lab hosts answer the stats command with a /proc/stat the reader takes', async () => {
    for (const spec of specs.filter((s) => s.os !== 'windows')) {
      const host = new SimHost(spec, { seed: 13, authorizedKeys: [], bootDelayMs: 0, suspendDelayMs: 0, now: () => Date.now(), tls: () => Promise.reject(new Error('no tls')) });
      const result = await runScript(STATS_COMMAND, shellFor(spec), createSession(host.machine, spec.user, false));
      expect(result.code, `${spec.hostname}: ${stderrOf(result)}`).toBe(0);
      const reading = parseStatsOutput(stdoutOf(result));
      expect(reading.cpus, spec.hostname).toBeGreaterThan(0);
      expect(reading.cpu.idle).toBeGreaterThan(0);
      expect(reading.memTotal).toBeGreaterThan(0);
    }
  });

  it.skipIf(!fs.existsSync('/proc/stat'))('the reader takes this machine’s real /proc/stat', () => {
    const text = fs.readFileSync('/proc/stat', 'utf8');
    const stat = parseProcStat(text);
    const cpuLines = text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
    expect(stat.cpus.filter(Boolean)).toHaveLength(cpuLines);
    expect(stat.total.user + stat.total.idle).toBeGreaterThan(0);
    expect(stat.btime).toBeGreaterThan(1_000_000_000);
  });

  it.skipIf(!fs.existsSync('/proc/stat'))('the stats command run by this machine’s sh reads its real /proc', () => {
    const reading = parseStatsOutput(execFileSync('sh', ['-c', STATS_COMMAND], { encoding: 'utf8' }));
    expect(reading.cpus).toBeGreaterThan(0);
    expect(reading.memTotal).toBeGreaterThan(0);
    expect(reading.uptime).toBeGreaterThan(0);
  });
});
