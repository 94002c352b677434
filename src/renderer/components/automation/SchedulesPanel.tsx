import { useState } from 'react';
import { TabbedHead } from '../TabbedHead';
import { Modal } from '../Modal';
import { IdleSection } from './IdleSection';
import { NextDay } from './NextDay';
import { ScheduleForm } from './ScheduleForm';
import { ScheduleList } from './ScheduleList';
import { useAutomation } from './useAutomation';
import './automation.css';

type Tab = 'schedules' | 'next' | 'idle';
const TABS: Array<[Tab, string]> = [
  ['schedules', 'Schedules'],
  ['next', 'Next 24 h'],
  ['idle', 'Idle auto-suspend'],
];

/** Schedules (create, list, remove), the next 24 hours, and idle auto-suspend (issue 17). */
export function SchedulesPanel({ onClose }: { onClose(): void }) {
  const [tab, setTab] = useState<Tab>('schedules');
  const api = useAutomation();
  return (
    <Modal titleId="schedules-title" className="wide-modal" testId="schedules-panel" onClose={onClose}>
      <TabbedHead titleId="schedules-title" title="Automation" tabs={TABS} tab={tab} onTab={setTab} testPrefix="schedules" onClose={onClose} />
      <div className="modal-body wide-body automation">
        {api.error && (
          <p className="form-error" role="alert" data-testid="schedules-error">
            {api.error}
          </p>
        )}
        {tab === 'schedules' && (
          <>
            <ScheduleList api={api} />
            <ScheduleForm api={api} />
          </>
        )}
        {tab === 'next' && <NextDay api={api} />}
        {tab === 'idle' && <IdleSection api={api} />}
      </div>
    </Modal>
  );
}
