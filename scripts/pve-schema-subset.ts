/**
 * Regenerates the lab's schema subset for one Proxmox VE release from the official schema
 * (pve-docs api-viewer/apidata.js with its JavaScript wrapper removed, i.e. plain JSON):
 *
 *   npx tsx scripts/pve-schema-subset.ts 9 path/to/pve-9-api-schema.json
 *   npx tsx scripts/pve-schema-subset.ts 8 path/to/pve-8-api-schema.json
 *
 * The path may also come from PVE_SCHEMA_9 / PVE_SCHEMA_8. Writes
 * src/lab/proxmox/pve-api-schema-<major>.ts; tests/lab/proxmox-schema.test.ts checks the
 * committed files against the official ones when PVE_SCHEMA_DIR names their folder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubset, subsetModule, type SchemaTreeNode } from '../src/lab/proxmox/schema-subset';

const SOURCE: Readonly<Record<'8' | '9', string>> = {
  9: 'pve-docs 9.1, api-viewer/apidata.js',
  8: 'pve-docs 8.4 (stable-bookworm), api-viewer/apidata.js',
};

function main(argv: readonly string[]): void {
  const [major, fromArg] = argv;
  if (major !== '8' && major !== '9') throw new Error('usage: pve-schema-subset.ts <9|8> <pve-api-schema.json>');
  const source = fromArg ?? process.env[`PVE_SCHEMA_${major}`];
  if (!source) throw new Error(`give the official PVE ${major} schema as an argument or in PVE_SCHEMA_${major}`);
  const tree = JSON.parse(readFileSync(source, 'utf8')) as SchemaTreeNode[];
  const subset = buildSubset(tree, major === '9' ? 9 : 8);
  const target = fileURLToPath(new URL(`../src/lab/proxmox/pve-api-schema-${major}.ts`, import.meta.url));
  writeFileSync(target, subsetModule(subset, major === '9' ? 9 : 8, SOURCE[major]));
  console.log(`wrote ${subset.length} endpoints to ${target}`);
}

main(process.argv.slice(2));
