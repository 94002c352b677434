import fs from 'node:fs';
import { onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';

export const importCommand: Command = {
  name: 'import',
  summary: "add the servers of an EcoBox config.toml",
  usage: `rackdeck import <config.toml> [--dry-run]

Adds every [[servers]] entry (name, hostname, MAC, SSH user/port/key, parent) and takes
[dashboard] update_interval as the status interval. Nothing is added unless every entry is
valid and no name is taken.
  --dry-run   show what would be added, change nothing`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { 'dry-run': { type: 'boolean' } });
    const file = onePositional(positionals, 'config.toml');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { parseEcoboxConfig } = await import('../../../store/ecobox-import');
    const plan = parseEcoboxConfig(text);
    const { client } = ctx.open();
    const taken = new Set((await client.servers.snapshot({})).servers.map((s) => s.name.toLowerCase()));
    const clash = plan.servers.find((s) => taken.has(s.name.toLowerCase()));
    if (clash) throw new UsageError(`a server named "${clash.name}" already exists; nothing was imported`);
    for (const s of plan.servers) ctx.io.out(`${values['dry-run'] ? 'would add' : 'adding'} ${s.name} (${s.address})${s.parent ? ` under ${s.parent}` : ''}`);
    plan.notes.forEach((n) => ctx.io.out(`note: ${n}`));
    if (values['dry-run']) return 0;
    const ids = new Map<string, string>();
    for (const { parent, ...server } of plan.servers) {
      const view = await client.servers.add({ ...server, ...(parent ? { parentId: ids.get(parent) } : {}) });
      ids.set(server.name, view.id);
    }
    if (plan.settings.statusIntervalMs) await client.servers.setSettings({ statusIntervalMs: plan.settings.statusIntervalMs });
    ctx.io.out(`Imported ${plan.servers.length} server(s).`);
    return 0;
  },
};
