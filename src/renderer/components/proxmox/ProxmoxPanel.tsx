import { useCallback, useEffect, useId, useState } from 'react';
import type { ClusterView } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { useUi } from '../../ui-store';
import { Icon, type IconName } from '../Icon';
import { Modal } from '../Modal';
import { ChangesList } from './ChangesList';
import { ClusterForm } from './ClusterForm';
import { ClusterList } from './ClusterList';
import { NodeTasks } from './NodeTasks';
import { StorageList } from './StorageList';
import './proxmox.css';

type Tab = 'clusters' | 'storage' | 'tasks' | 'changes';
const TABS: { id: Tab; label: string; icon: IconName }[] = [
  { id: 'clusters', label: 'Clusters', icon: 'proxmox-node' },
  { id: 'storage', label: 'Storage', icon: 'disk' },
  { id: 'tasks', label: 'Tasks', icon: 'list' },
  { id: 'changes', label: 'What changed', icon: 'refresh' },
];

/** The clusters, read again every few seconds while the panel is open (their status moves). */
function useClusters(): { clusters: ClusterView[] | null; error: string | null; reload: () => void } {
  const client = useClient();
  const [clusters, setClusters] = useState<ClusterView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    client.proxmox.clusters({}).then(
      (c) => {
        setClusters(c);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [client]);
  useEffect(() => {
    reload();
    const t = setInterval(reload, 5_000);
    const off = client.on('proxmox.changes', reload);
    return () => {
      clearInterval(t);
      off();
    };
  }, [client, reload]);
  return { clusters, error, reload };
}

/**
 * Everything Proxmox that is not one guest: the clusters Rackdeck talks to (add one, trust a
 * changed certificate, refresh, remove), their storage pools, each node's recent tasks with
 * their logs, and what changed between refreshes. Opened from the top bar.
 */
export function ProxmoxPanel() {
  const titleId = useId();
  const [tab, setTab] = useState<Tab>('clusters');
  const [adding, setAdding] = useState(false);
  const { clusters, error, reload } = useClusters();
  const close = () => useUi.getState().openPanel(null);
  const none = clusters !== null && clusters.length === 0;

  return (
    <Modal titleId={titleId} onClose={close} className="panel-modal" testId="proxmox-panel">
      <header className="panel-head">
        <span className="panel-icon" aria-hidden>
          <Icon name="proxmox-node" size={20} />
        </span>
        <h2 id={titleId}>Proxmox</h2>
        <nav className="panel-tabs" role="tablist" aria-label="Proxmox views">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} data-testid={`px-tab-${t.id}`} disabled={none && t.id !== 'clusters'} onClick={() => setTab(t.id)}>
              <Icon name={t.icon} size={15} />
              {t.label}
            </button>
          ))}
        </nav>
        <button type="button" className="icon-btn" aria-label="Close" data-testid="close-panel" onClick={close}>
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body" role="tabpanel">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {tab === 'clusters' && <ClusterList clusters={clusters} onAdd={() => setAdding(true)} onChanged={reload} />}
        {tab === 'storage' && <StorageList />}
        {tab === 'tasks' && <NodeTasks clusters={clusters ?? []} />}
        {tab === 'changes' && <ChangesList />}
      </div>
      {adding && (
        <ClusterForm
          onClose={() => setAdding(false)}
          onAdded={() => {
            reload();
          }}
        />
      )}
    </Modal>
  );
}
