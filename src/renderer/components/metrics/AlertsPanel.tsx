import { useState } from 'react';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import { AlertList } from './AlertList';
import { ChannelsForm } from './ChannelsForm';
import { ChannelsPanel } from '../alerts/ChannelsPanel';
import { MaintenancePanel } from '../alerts/MaintenancePanel';
import { OverridesPanel } from '../alerts/OverridesPanel';
import { RulesEditor } from './RulesEditor';
import './metrics.css';

type Tab = 'alerts' | 'rules' | 'channels' | 'maintenance';
const TABS: Array<[Tab, string]> = [
  ['alerts', 'Alerts'],
  ['rules', 'Rules'],
  ['channels', 'Channels'],
  ['maintenance', 'Maintenance & overrides'],
];

/** Alerts, the rules that raise them, and where they are sent, in one dialog. */
export function AlertsPanel({ onClose, initialTab = 'alerts' }: { onClose(): void; initialTab?: Tab }) {
  const [tab, setTab] = useState<Tab>(initialTab);
  return (
    <Modal titleId="alerts-title" className="wide-modal" testId="alerts-panel" onClose={onClose}>
      <div className="modal-head">
        <h2 id="alerts-title">Alerts</h2>
        <div className="tabs" role="tablist">
          {TABS.map(([id, label]) => (
            <button key={id} type="button" role="tab" className="tab" aria-selected={tab === id} data-testid={`alerts-tab-${id}`} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </div>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="modal-body wide-body">
        {tab === 'alerts' && <AlertList onClose={onClose} />}
        {tab === 'rules' && <RulesEditor />}
        {tab === 'channels' && (
          <>
            <ChannelsPanel />
            <h3>Classic e-mail and webhook</h3>
            <ChannelsForm />
          </>
        )}
        {tab === 'maintenance' && (
          <>
            <MaintenancePanel />
            <OverridesPanel />
          </>
        )}
      </div>
    </Modal>
  );
}
