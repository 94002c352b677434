import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { intOption, parse, UsageError } from '../args';
import type { Command } from '../command';
import { serveApp, waitForSignal } from './serve';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'try Rackdeck against the built-in simulated homelab',
  usage: `rackdeck demo [--hosts N] [--guests M] [--pve 9|8] [--seed S] [--port P] [--web] [--home DIR]

Starts the simulated homelab on loopback (hosts with SSH, a Wake-on-LAN listener, a Proxmox
VE cluster) and Rackdeck configured against it: the desktop app when an Electron runtime is
installed, otherwise (or with --web) the web face, whose address it prints. Without --home the
demo lives in a temporary folder that is removed at the end. Nothing leaves 127.0.0.0/8.
  --hosts N    simulated hosts (default 8)
  --guests M   Proxmox VMs and containers (default 12)
  --pve 9|8    Proxmox VE release of the simulated cluster: 9.1 (default) or 8.4
  --seed S     another seed, another lab (default 1)
  --port P     web face port (default: any free port)
  --web        use the web face even where the desktop app could run`,
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      { hosts: { type: 'string' }, guests: { type: 'string' }, pve: { type: 'string' }, seed: { type: 'string' }, port: { type: 'string' }, web: { type: 'boolean' } },
      false,
    );
    const hosts = intOption(values.hosts, 'hosts', 1, 2000) ?? 8;
    const guests = intOption(values.guests, 'guests', 0, 5000) ?? 12;
    const seed = intOption(values.seed, 'seed', 0, 2 ** 31) ?? 1;
    const version = pveOption(values.pve);
    const port = intOption(values.port, 'port', 0, 65535) ?? 0;
    const explicitHome = argv.some((a) => a === '--home' || a.startsWith('--home=')) || Boolean(ctx.io.env.RACKDECK_HOME);
    const home = explicitHome ? ctx.home : fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-demo-'));

    // The demo's cluster has the shapes real ones have: an unnamed VM, a hibernated one, stale locks, a backup history.
    // The lab's code (SSH servers, a Proxmox API) is loaded by the commands that run it only.
    const [{ startLab }, { electronBinary }, { labInventory }] = await Promise.all([import('../../../../lab/lab'), import('../../demo/electron-runtime'), import('../../demo/lab-inventory')]);
    const lab = await startLab({ hosts, seed, stateDir: path.join(home, 'lab'), proxmox: guests > 0 ? { guests, version, realWorld: true } : false });
    const cluster = lab.proxmox ? `, a Proxmox VE ${lab.proxmox.describe().version} cluster at ${lab.proxmox.url} with ${guests} guests` : '';
    ctx.io.out(`Simulated homelab: ${lab.hosts.length} hosts${cluster} (all on loopback).`);
    // Issue 17: the network scan of the demo is the lab's own loopback subnet, never the LAN.
    if (lab.hosts.every((h) => h.address.startsWith('127.0.1.'))) ctx.io.out(`To try the network scan, scan the lab's subnet: 127.0.1.0/24 (Scan in the top bar).`);
    const cleanup = async () => {
      await lab.stop();
      if (!explicitHome) fs.rmSync(home, { recursive: true, force: true });
    };

    try {
      // The demo is an engine: it owns its home while the lab runs (the desktop app takes it over).
      if (!ctx.own) throw new Error('demo needs to own its home');
      const owned = await ctx.own('demo', home);
      const { client } = owned;
      const { servers } = await client.servers.snapshot({});
      if (servers.length === 0) {
        // A lab answers quickly: a short status interval makes the demo feel live.
        await client.servers.setSettings({ statusIntervalMs: 5_000 });
        const inventory = labInventory(lab.describe());
        for (const server of inventory.servers) {
          const view = await client.servers.add(server);
          const password = inventory.wolPasswords[server.name];
          if (password) await client.power.setSecret({ id: view.id, name: 'wol.password', value: password });
        }
        if (inventory.cluster) await client.proxmox.addCluster({ ...inventory.cluster, discovery: true });
      }

      const binary = values.web ? null : electronBinary(ctx.io.env);
      if (binary) {
        // The desktop app takes the home over: this process lets it go first.
        await owned.stop();
        ctx.io.out('Opening the desktop app…');
        const root = fileURLToPath(new URL('../../', import.meta.url));
        const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = ctx.io.env;
        const child = spawn(binary, [root, '--home', home], { stdio: 'inherit', env });
        await new Promise<void>((resolve) => child.once('exit', () => resolve()));
        return 0;
      }
      if (!values.web) ctx.io.err('No Electron runtime is installed here, so the demo runs in your browser.');
      const stopped = waitForSignal();
      const web = await serveApp(owned, { port, env: ctx.io.env, out: ctx.io.out });
      ctx.io.out('Press Ctrl-C to stop the demo and the simulated homelab.');
      await stopped;
      await web.close();
      await owned.stop();
      return 0;
    } finally {
      await cleanup();
    }
  },
};

function pveOption(value: string | undefined): 9 | 8 {
  if (value === undefined || value === '9') return 9;
  if (value === '8') return 8;
  throw new UsageError(`--pve must be 9 or 8, got "${value}"`);
}
