import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentReportSchema } from '../../src/main/health/report-schema';
import { AGENT_SH, openService, runAgent } from './helpers';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function memTotalBytes(): number {
  const line = fs.readFileSync('/proc/meminfo', 'utf8').split('\n').find((l) => l.startsWith('MemTotal:')) ?? '';
  return Number(/\d+/.exec(line)?.[0]) * 1024;
}

describe('the Linux agent script, syntax', () => {
  it('is POSIX sh: dash and sh both parse it', () => {
    for (const shell of ['sh', ...(has('dash') ? ['dash'] : [])]) {
      const r = spawnSync(shell, ['-n', AGENT_SH]);
      expect(r.status, `${shell}: ${r.stderr.toString()}`).toBe(0);
    }
  });

  it('uses no bashisms that dash would reject at run time', () => {
    const text = fs.readFileSync(AGENT_SH, 'utf8');
    const code = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    for (const bashism of [/\[\[/, /\bfunction\s+\w+/, /\blocal\s/, /\$\{\w+\/\//, /<<</, /\$\(\(\s*\w+\+\+/, /\bsource\s/, /&>/]) {
      expect(code.filter((l) => bashism.test(l)), String(bashism)).toEqual([]);
    }
  });
});

describe.runIf(has('systemd-analyze'))('the systemd units', () => {
  it('pass systemd-analyze verify (service pointed at the script in this tree)', () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/rackdeck-units-`);
    const units = path.dirname(AGENT_SH);
    fs.writeFileSync(`${dir}/rackdeck-agent.service`, fs.readFileSync(`${units}/rackdeck-agent.service`, 'utf8').replace('ExecStart=/usr/local/bin/rackdeck-agent', `ExecStart=${AGENT_SH}`));
    fs.copyFileSync(`${units}/rackdeck-agent.timer`, `${dir}/rackdeck-agent.timer`);
    const r = spawnSync('systemd-analyze', ['verify', `${dir}/rackdeck-agent.timer`, `${dir}/rackdeck-agent.service`], { cwd: dir });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(r.stderr.toString()).toBe('');
    expect(fs.readFileSync(`${units}/rackdeck-agent.timer`, 'utf8')).toMatch(/^OnUnitActiveSec=30s$/m);
  });
});

describe.runIf(fs.existsSync('/proc/stat'))('the Linux agent script, run for real', () => {
  let t: ReturnType<typeof openService>;
  let url: string;
  let key: string;
  beforeEach(async () => {
    t = openService();
    url = await t.listen();
    key = t.service.createKey('vm1').key;
  });
  afterEach(() => t.cleanup());

  const clients = ['curl', 'wget'].filter(has);
  it.each(clients)('reads this machine and delivers a report that validates (%s, dash)', async (client) => {
    const shell = has('dash') ? 'dash' : 'sh';
    const r = await runAgent(shell, { URL: url, KEY: key, VMID: '101', NODE: 'pve1', RACKDECK_HTTP: client });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const health = t.service.health('vm1');
    expect(health.state === 'healthy' || health.state === 'warning').toBe(true);
    const f = health.figures;
    expect(f).toBeDefined();
    expect(f?.vmid).toBe(101);
    expect(f?.node).toBe('pve1');
    expect(f?.agent).toBe('rackdeck-agent.sh/1');
    expect(f?.hostname).toBe(os.hostname().replace(/[^A-Za-z0-9._-]/g, ''));
    expect(f?.memTotalBytes).toBe(memTotalBytes());
    expect(f?.memUsedBytes).toBeGreaterThan(0);
    expect(f?.memUsedBytes).toBeLessThanOrEqual(f?.memTotalBytes ?? 0);
    expect(f?.diskTotalBytes).toBeGreaterThan(0);
    expect(f?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(f?.cpuPercent).toBeLessThanOrEqual(100);
    expect(f?.uptimeSeconds).toBeCloseTo(os.uptime(), -2);
    expect(Math.abs((f?.timestamp ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('reads its config file (parsed, not sourced) when the environment says nothing', async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/rackdeck-conf-`);
    const conf = `${dir}/agent.conf`;
    const marker = `${dir}/pwned`;
    fs.writeFileSync(conf, `# comment\nURL="${url}"\nKEY='${key}'\nVMID=7\nX=$(touch ${marker})\ntouch ${marker}\n`, { mode: 0o600 });
    const r = await runAgent('sh', { RACKDECK_AGENT_CONF: conf });
    expect(r.code, r.stderr).toBe(0);
    expect(t.service.health('vm1').figures?.vmid).toBe(7);
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--print emits a report the receiver schema accepts, without sending', async () => {
    const r = await runAgent('sh', { URL: url, KEY: key }, ['--print']);
    expect(r.code).toBe(0);
    expect(agentReportSchema.safeParse(JSON.parse(r.stdout)).success).toBe(true);
    expect(t.service.health('vm1').lastReportAt).toBeUndefined();
  });

  it('--check reaches the receiver with the key', async () => {
    const r = await runAgent('sh', { URL: url, KEY: key }, ['--check']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, serverId: 'vm1' });
  });

  it('exits 3 and says why when the key is revoked or the receiver is gone', async () => {
    t.service.revokeKeys({ serverId: 'vm1' });
    const refused = await runAgent('sh', { URL: url, KEY: key });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/HTTP 401.*revoked/);
    await t.service.disableReceiver();
    const gone = await runAgent('sh', { URL: url, KEY: key });
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/could not reach/);
  });

  it('refuses a bad configuration before measuring anything', async () => {
    expect((await runAgent('sh', { URL: 'ftp://x', KEY: key })).code).toBe(1);
    expect((await runAgent('sh', { URL: url, KEY: 'hunter2' })).code).toBe(1);
    expect((await runAgent('sh', { URL: `${url}/$(id)`, KEY: key })).code).toBe(1);
    const badVmid = await runAgent('sh', { URL: url, KEY: key, VMID: '1;reboot' });
    expect(badVmid.code).toBe(1);
    expect(badVmid.stderr).toMatch(/VMID must be digits only/);
    expect(t.service.health('vm1').lastReportAt).toBeUndefined();
  });
});
