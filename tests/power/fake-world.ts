import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeClock } from '../../src/main/base/clock';
import { composeCore } from '../../src/main/root/core';
import { memoryLogger } from '../../src/main/base/logger';
import type { PowerSsh } from '../../src/main/power/controller';
import { SshError, type ExecResult, type HostKeyMismatch, type SshTarget } from '../../src/main/drivers/ssh';
import { parseMac, type WolSender } from '../../src/main/drivers/wol';
import { openConfigStore } from '../../src/main/store/config-store';
import type { Notice, ServersPatch } from '../../src/shared/events';
import type { ServerInput } from '../../src/shared/server';
import { serverInputSchema } from '../../src/shared/server';

/**
 * A simulated homelab for controller tests, driven by a FakeClock: hosts answer probes when up,
 * boot after a WoL packet for their MAC, and obey SSH power commands after a short delay.
 */
export interface FakeHost {
  address: string;
  mac: string;
  up: boolean;
  bootMs: number;
  /** Commands that exit non-zero (e.g. to test the fallbacks). */
  refuse: Set<string>;
  /** When set, every SSH connection fails with this. */
  sshFailure?: SshError;
  /** Answers for init commands. */
  files: Record<string, string>;
  ignoresWol?: boolean;
}

export function createWorld(options: { power?: Record<string, unknown> } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-power-'));
  const hosts = new Map<string, FakeHost>();
  const packets: { mac: string; at: number; targets: string[] }[] = [];
  const commands: { host: string; command: string; at: number }[] = [];
  const accepted: HostKeyMismatch[] = [];
  const notices: Notice[] = [];
  const patches: ServersPatch[] = [];

  const host = (address: string, mac: string, init: Partial<FakeHost> = {}): FakeHost => {
    const h: FakeHost = { address, mac: parseMac(mac).text, up: false, bootMs: 20_000, refuse: new Set(), files: {}, ...init };
    hosts.set(address, h);
    return h;
  };

  const wol: WolSender = async ({ packet, targets }) => {
    const mac = [...packet.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    packets.push({ mac, at: clock.now(), targets: targets.map((t) => `${t.address}:${t.port}`) });
    for (const h of hosts.values()) {
      if (h.mac === mac && !h.up && !h.ignoresWol) clock.setTimeout(() => (h.up = true), h.bootMs);
    }
    return targets.map((target) => ({ target, ok: true }));
  };

  const ssh: PowerSsh = {
    async exec(target: SshTarget, command: string): Promise<ExecResult> {
      const h = hosts.get(target.host);
      if (!h || !h.up) throw new SshError('connect', `SSH to ${target.host}: connection refused`, 'Is sshd running?');
      if (h.sshFailure) throw h.sshFailure;
      commands.push({ host: target.host, command, at: clock.now() });
      if (h.refuse.has(command)) return { code: 1, stdout: '', stderr: 'Failed to suspend system: Access denied' };
      const down = (ms: number, back?: number) =>
        clock.setTimeout(() => {
          h.up = false;
          if (back !== undefined) clock.setTimeout(() => (h.up = true), back);
        }, ms);
      if (/^(sudo -n )?(systemctl (suspend|hibernate)|pm-suspend)$|echo (mem|disk) >/.test(command)) down(3_000);
      else if (/^(sudo -n )?(systemctl poweroff|shutdown -h now|poweroff)$/.test(command)) down(5_000);
      else if (/^(sudo -n )?(systemctl reboot|shutdown -r now|reboot)$/.test(command)) down(4_000, 30_000);
      const file = h.files[command];
      if (file !== undefined) return { code: 0, stdout: file, stderr: '' };
      if (command.startsWith('cat ') || command === 'pveversion' || command.startsWith('test ') || command.startsWith('ip ') || /ethtool [a-z0-9]+$/.test(command)) {
        return { code: 1, stdout: '', stderr: 'not found' };
      }
      return { code: 0, stdout: '', stderr: '' };
    },
    acceptHostKey: (m) => void accepted.push(m),
    close: () => {},
  };

  const log = memoryLogger();
  const store = openConfigStore(home);
  const core = composeCore({
    home,
    store,
    clock,
    log,
    probe: async (address, ports) => {
      const up = hosts.get(address)?.up ?? false;
      return up ? { openPorts: Object.fromEntries(ports.map((p) => [String(p), true])) } : { openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'connection refused' };
    },
    power: { ssh, wol, userHome: home, ...options.power },
  });
  const { engine, power, proxmox } = core;
  engine.events.on('notice', (n) => void notices.push(n));
  engine.events.on('servers.patch', (p) => void patches.push(p));

  const add = (input: ServerInput) => engine.addServer(serverInputSchema.parse(input));

  /** Every power state a server went through, from the patches. */
  const statesOf = (id: string) => {
    const out: string[] = [];
    for (const p of patches) for (const v of p.upsert) if (v.id === id && out[out.length - 1] !== v.power) out.push(v.power);
    return out;
  };

  return {
    clock,
    home,
    hosts,
    host,
    packets,
    commands,
    accepted,
    notices,
    patches,
    core,
    engine,
    power,
    proxmox,
    log,
    add,
    statesOf,
    view: (id: string) => engine.view(id)!,
    cleanup: () => {
      engine.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
