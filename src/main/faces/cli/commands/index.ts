import type { Command } from '../command';

/**
 * Every command of the CLI, in the order `rackdeck --help` lists them, by module: a command
 * loads its own module only (and what that needs), so `rackdeck list` through a running engine
 * loads neither the lab, nor the web face, nor the engine. tests/cli/cli.test.ts checks that
 * each name here is a command of its module.
 */
const MODULES: { names: readonly string[]; load(): Promise<Command[]> }[] = [
  {
    names: ['list', 'status', 'add', 'edit', 'remove'],
    load: async () => {
      const m = await import('./servers');
      return [m.listCommand, m.statusCommand, m.addCommand, m.editCommand, m.removeCommand];
    },
  },
  { names: ['import'], load: async () => [(await import('./import')).importCommand] },
  { names: ['serve'], load: async () => [(await import('./serve')).serveCommand] },
  { names: ['web-url'], load: async () => [(await import('./web-url')).webUrlCommand] },
  { names: ['demo'], load: async () => [(await import('./demo')).demoCommand] },
  { names: ['lab'], load: async () => [(await import('./lab')).labCommand] },
  {
    // Power commands work on Proxmox guests too (guestAware).
    names: ['wake', 'suspend', 'hibernate', 'shutdown', 'reboot', 'wol'],
    load: async () => {
      const [power, proxmox] = await Promise.all([import('./power'), import('./proxmox')]);
      return [...power.powerCommands.map(proxmox.guestAware), power.wolCommand];
    },
  },
  {
    names: ['agent', 'resets'],
    load: async () => {
      const m = await import('./agents');
      return [m.agentCommand, m.resetsCommand];
    },
  },
  {
    names: ['proxmox', 'discover', 'guests', 'start', 'stop', 'pause', 'resume', 'reset', 'snapshot', 'tasks'],
    load: async () => (await import('./proxmox')).proxmoxCommands,
  },
  {
    names: ['ssh', 'exec'],
    load: async () => {
      const m = await import('./consoles');
      return [m.sshCommand, m.execCommand];
    },
  },
  { names: ['metrics', 'alerts', 'log'], load: async () => (await import('./monitoring')).monitoringCommands },
  { names: ['integrations'], load: async () => [(await import('./integrations')).integrationsCommand] },
  { names: ['local-commands'], load: async () => [(await import('./local-commands')).localCommandsCommand] },
  {
    // Host keys the OpenSSH way (issue 13).
    names: ['init', 'trust'],
    load: async () => {
      const m = await import('./host-keys');
      return [m.initCommand, m.trustCommand];
    },
  },
  { names: ['secrets'], load: async () => [(await import('./secrets')).secretsCommand] },
  {
    names: ['desired', 'cancel'],
    load: async () => {
      const m = await import('./desired');
      return [m.desiredCommand, m.cancelCommand];
    },
  },
  { names: ['group'], load: async () => [(await import('./groups')).groupCommand] },
  { names: ['schedule', 'idle', 'keep-awake'], load: async () => (await import('./automation')).automationCommands },
  { names: ['proxy'], load: async () => [(await import('./proxy')).proxyCommand] },
  { names: ['scan'], load: async () => [(await import('./scan')).scanCommand] },
  { names: ['checks'], load: async () => [(await import('./checks')).checksCommand] },
  { names: ['channels'], load: async () => [(await import('./channels')).channelsCommand] },
  {
    names: ['maintenance', 'overrides'],
    load: async () => {
      const m = await import('./alert-policy');
      return [m.maintenanceCommand, m.overridesCommand];
    },
  },
];

export const COMMAND_NAMES: readonly string[] = MODULES.flatMap((m) => m.names);

export async function findCommand(name: string): Promise<Command | undefined> {
  const module = MODULES.find((m) => m.names.includes(name));
  return (await module?.load())?.find((c) => c.name === name);
}

/** Every command of every module, in the registry's order (loads them all: for the help). */
export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(MODULES.map((m) => m.load()))).flat();
}
