import { useState } from 'react';
import { TabbedHead } from '../TabbedHead';
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
      <TabbedHead titleId="alerts-title" title="Alerts" tabs={TABS} tab={tab} onTab={setTab} testPrefix="alerts" onClose={onClose} />
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
