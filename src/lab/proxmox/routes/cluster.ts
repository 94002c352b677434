/** /cluster: the one-call inventory (/cluster/resources), quorum status and the task feed. */
import { resourceEntry } from '../guest-views';
import { clusterStatus, nodeResourceEntry } from '../node-views';
import type { Router } from '../router';
import { storageResourceEntry } from '../storage-views';
import { taskListEntry } from '../tasks';

const CLUSTER_TASKS_LIMIT = 2000;

export function registerCluster(router: Router): void {
  router.add('GET /cluster', () =>
    ['log', 'options', 'resources', 'tasks', 'backup', 'ha', 'status', 'nextid', 'firewall'].map((name) => ({ name })),
  );

  router.add('GET /cluster/resources', ({ state, principal, params }) => {
    const type = params.type;
    const t = state.clock.now();
    const out: Record<string, unknown>[] = [];
    if (type === undefined || type === 'vm') {
      // Only guests the caller may audit, as the real filter does.
      if (principal.privileges.has('VM.Audit')) {
        for (const g of state.sortedGuests()) {
          const node = state.findNode(g.node);
          out.push(resourceEntry(state, g, node !== undefined && state.isOnline(node), t));
        }
      }
    }
    if (type === undefined || type === 'node') {
      for (const node of state.nodes) out.push(nodeResourceEntry(state, node, t));
    }
    if (type === undefined || type === 'storage') {
      if (principal.privileges.has('Datastore.Audit') || principal.privileges.has('Datastore.AllocateSpace')) {
        for (const node of state.nodes) {
          for (const s of state.storages) out.push(storageResourceEntry(state, s, node));
        }
      }
    }
    if (type === undefined || type === 'sdn') {
      for (const node of state.nodes) {
        out.push({
          id: `sdn/${node.name}/localnetwork`,
          type: 'sdn',
          sdn: 'localnetwork',
          node: node.name,
          status: state.isOnline(node) ? 'ok' : 'unknown',
        });
      }
    }
    return out;
  });

  router.add('GET /cluster/status', ({ state, local }) => clusterStatus(state, local));

  router.add('GET /cluster/tasks', ({ state }) =>
    state.tasks.list(() => true).slice(0, CLUSTER_TASKS_LIMIT).map(taskListEntry),
  );
}
