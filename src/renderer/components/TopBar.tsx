import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { ConnectionIndicator } from './ConnectionIndicator';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { NotificationsButton } from './NotificationsButton';
import { MonitoringButtons } from './metrics/MonitoringButtons';
import { IntegrationsButton } from './integrations/IntegrationsButton';
import { SchedulesButton } from './automation/SchedulesButton';
import { ScanButton } from './scan/ScanButton';
import { SearchBox } from './SearchBox';
import { StateCounts } from './StateCounts';

export function TopBar() {
  const hasServers = useRackdeck((s) => s.loaded && Object.keys(s.servers).length > 0);
  const loaded = useRackdeck((s) => s.loaded);
  const canAdd = useRackdeck((s) => s.loaded && s.connection.state === 'open');
  return (
    <header className="topbar">
      <div className="brand">
        <Logo />
        <h1>Rackdeck</h1>
      </div>
      <StateCounts />
      <div className="topbar-end">
        {hasServers && <SearchBox />}
        <ConnectionIndicator />
        {loaded && <NotificationsButton />}
        {loaded && <MonitoringButtons />}
        {loaded && <IntegrationsButton />}
        {loaded && <SchedulesButton />}
        {loaded && <ScanButton />}
        {loaded && (
          <button type="button" className="btn btn-ghost topbar-btn" data-testid="open-proxmox" title="Proxmox clusters, storage, tasks and what changed" onClick={() => useUi.getState().openPanel('proxmox')}>
            <Icon name="proxmox-node" size={16} /> <span className="label-mid">Proxmox</span>
          </button>
        )}
        <button type="button" className="btn btn-primary" data-testid="add-server" disabled={!canAdd} onClick={() => useUi.getState().openAdd()}>
          <Icon name="plus" size={16} /> <span className="label-narrow">Add server</span>
        </button>
      </div>
    </header>
  );
}
