import { useState } from 'react';
import { INTEGRATION_LABELS, INTEGRATIONS, type IntegrationName } from '../../../shared/contract/integrations';
import { TabbedHead } from '../TabbedHead';
import { Modal } from '../Modal';
import { MqttForm } from './MqttForm';
import { PrometheusForm } from './PrometheusForm';
import { RemoteWriteForm } from './RemoteWriteForm';
import { useIntegrations } from './useIntegrations';
import '../metrics/metrics.css';
import './integrations.css';

/** Prometheus, Home Assistant and the remote history, one tab each, with what each is doing now. */
export function IntegrationsPanel({ onClose }: { onClose(): void }) {
  const [tab, setTab] = useState<IntegrationName>('prometheus');
  const api = useIntegrations();
  const { settings } = api;
  return (
    <Modal titleId="integrations-title" className="wide-modal" testId="integrations-panel" onClose={onClose}>
      <TabbedHead titleId="integrations-title" title="Integrations" tabs={INTEGRATIONS.map((id) => [id, INTEGRATION_LABELS[id]] as const)} tab={tab} onTab={setTab} testPrefix="integrations" onClose={onClose} />
      <div className="modal-body wide-body integrations">
        {!settings && <div className="sk" style={{ height: 240 }} />}
        {settings && tab === 'prometheus' && <PrometheusForm view={settings.prometheus} api={api} />}
        {settings && tab === 'mqtt' && <MqttForm view={settings.mqtt} api={api} />}
        {settings && tab === 'remoteWrite' && <RemoteWriteForm view={settings.remoteWrite} api={api} />}
      </div>
    </Modal>
  );
}
