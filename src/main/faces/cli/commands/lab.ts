import type { Command } from '../command';

const LAB_HELP = `Starts simulated hosts with real SSH servers on 127.0.1.x, a Wake-on-LAN listener on
127.0.0.1 and a Proxmox VE API on the Proxmox hosts, then prints one JSON line with every
endpoint and credential. Runs until Ctrl-C. Nothing leaves 127.0.0.0/8.
  --guests M   Proxmox VMs and containers (default 8; 0 for no Proxmox API)
  --pve 9|8    Proxmox VE release the cluster answers as: 9.1 (default) or 8.4`;

export const labCommand: Command = {
  name: 'lab',
  summary: 'run the simulated homelab (hosts, Wake-on-LAN, Proxmox) on loopback',
  usage: `rackdeck lab [options]\n\n${LAB_HELP}`,
  // The lab's code is loaded by this command only, its usage line with it.
  loadUsage: async () => `${(await import('../../../../lab/cli')).LAB_USAGE.replace(/^usage: /, '')}\n\n${LAB_HELP}`,
  async run(argv, ctx) {
    const { processIo, runLabCommand } = await import('../../../../lab/cli');
    let code = 0;
    // --home is every command's option; the lab keeps its own state in --state-dir.
    const labArgs = argv.filter((a, i) => a !== '--home' && argv[i - 1] !== '--home' && !a.startsWith('--home='));
    await runLabCommand(labArgs, { ...processIo, out: ctx.io.out, err: ctx.io.err, setExitCode: (c) => void (code = c) });
    return code;
  },
};
