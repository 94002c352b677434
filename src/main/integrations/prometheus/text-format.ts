import type { Family, FamilySample } from './families';

/** The content type of the Prometheus text format, version 0.0.4 (what prom-client sent). */
export const TEXT_FORMAT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One family of the exposition and its samples, in the order they are written. */
export type ExpositionSection = readonly [family: Family, samples: readonly FamilySample[]];

const escapeText = (s: string) => (s.includes('\\') || s.includes('\n') ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : s);
const escapeLabel = (s: string) => (s.includes('"') ? escapeText(s).replace(/"/g, '\\"') : escapeText(s));

function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  let out = '';
  // for…in rather than Object.entries: no pair array per label, and the same order (own string keys).
  for (const name in labels) out += `${out === '' ? '' : ','}${name}="${escapeLabel(labels[name] as string)}"`;
  return out === '' ? '' : `{${out}}`;
}

/**
 * The families in the Prometheus text format, byte for byte what prom-client's registry wrote for
 * them (tests/integrations/prometheus-text.test.ts holds the two side by side), without its
 * registry: prom-client hashed every sample's labels (sorted keys, joined) into a map on each
 * scrape, which for 1 000 servers' 20 000 samples made ~50 MB of garbage per scrape, most of the
 * engine's allocation and the peak of its resident memory (docs/PERFORMANCE.md, memory).
 * The samples of a family are expected distinct (families.ts `collect` builds them so). A family
 * without labels and without a sample shows 0, as prom-client's reset metric did.
 */
export function renderTextFormat(sections: Iterable<ExpositionSection>): string {
  let out = '';
  for (const [family, samples] of sections) {
    if (out !== '') out += '\n\n';
    out += `# HELP ${family.name} ${escapeText(family.help)}\n# TYPE ${family.name} ${family.type}`;
    if (samples.length === 0 && family.labelNames.length === 0) out += `\n${family.name} 0`;
    for (const s of samples) out += `\n${family.name}${labelText(s.labels)} ${valueText(s.value)}`;
  }
  return `${out}\n`;
}
