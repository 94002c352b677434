import { memo } from 'react';
import type { LayoutNode } from '../lib/layout';
import { useRackdeck } from '../store';
import { CardRun } from './CardRun';
import { ServerCard } from './ServerCard';

function countOn(node: LayoutNode, servers: ReturnType<typeof useRackdeck.getState>['servers']): [number, number] {
  let on = 0;
  let all = 0;
  const walk = (n: LayoutNode) => {
    for (const c of n.children) {
      all += 1;
      if (servers[c.id]?.power === 'on') on += 1;
      walk(c);
    }
  };
  walk(node);
  return [on, all];
}

/** A host with its guests under it, on a rail, the way Proxmox shows a node's tree. */
/** `lead`: the group is the first thing in the grid, so its guests on screen are drawn at mount (CardRun). */
export const ServerGroup = memo(function ServerGroup({ node, depth = 0, virtual = false, lead = false }: { node: LayoutNode; depth?: number; virtual?: boolean; lead?: boolean }) {
  const hostName = useRackdeck((s) => s.servers[node.id]?.name ?? node.id);
  const onAll = useRackdeck((s) => countOn(node, s.servers).join('/'));
  const [on, all] = onAll.split('/');
  const leaves = node.children.filter((c) => c.children.length === 0);
  const nested = node.children.filter((c) => c.children.length > 0);
  return (
    <section className="group" data-depth={depth} data-testid="server-group" data-parent-id={node.id} aria-label={`${hostName} and its guests`}>
      <div className="group-host">
        <ServerCard id={node.id} role="host" />
        <p className="group-count">
          <strong>{all}</strong> {all === '1' ? 'guest' : 'guests'} · <strong>{on}</strong> on
        </p>
      </div>
      <div className="group-children">
        {leaves.length > 0 && <CardRun ids={leaves.map((c) => c.id)} role="guest" virtual={virtual} lead={lead} />}
        {nested.map((c) => (
          <ServerGroup key={c.id} node={c} depth={depth + 1} virtual={virtual} />
        ))}
      </div>
    </section>
  );
});
