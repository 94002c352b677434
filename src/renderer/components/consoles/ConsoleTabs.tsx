import { useCallback, type KeyboardEvent } from 'react';
import { CONSOLE_LABELS } from '../../../shared/contract/consoles';
import { ExecView } from './ExecView';
import { LiveStats } from './LiveStats';
import { useConsoleTabs, type ConsoleTab } from './tabs-store';
import { TerminalView, type ConsoleStatus } from './TerminalView';
import { VncView } from './VncView';
import './consoles.css';

export interface ConsoleTabsProps {
  /** Called when the last tab closes (e.g. to fold the panel away). */
  onEmpty?(): void;
}

const STATUS_LABEL: Record<ConsoleStatus, string> = { opening: 'connecting', open: 'connected', closed: 'closed', failed: 'not connected' };

function TabBody({ tab, active }: { tab: ConsoleTab; active: boolean }) {
  const setStatus = useConsoleTabs((s) => s.setStatus);
  const onStatus = useCallback((status: ConsoleStatus) => setStatus(tab.key, status), [setStatus, tab.key]);
  switch (tab.kind) {
    case 'ssh-shell':
    case 'proxmox-term':
      return <TerminalView serverId={tab.serverId} kind={tab.kind} active={active} onStatus={onStatus} />;
    case 'vnc':
      return <VncView serverId={tab.serverId} active={active} onStatus={onStatus} />;
    case 'exec':
      return <ExecView serverId={tab.serverId} active={active} onStatus={onStatus} {...(tab.spec ? { initial: tab.spec, autoRun: true } : {})} />;
    case 'stats':
      return <LiveStats serverId={tab.serverId} onStatus={onStatus} />;
  }
}

/**
 * Several consoles at once, one tab each, named after their server. Every view stays mounted
 * while its tab is open (a background terminal keeps its session and scrollback); closing the
 * tab closes its session.
 */
export function ConsoleTabs({ onEmpty }: ConsoleTabsProps) {
  const tabs = useConsoleTabs((s) => s.tabs);
  const activeKey = useConsoleTabs((s) => s.activeKey);
  const { activate, close } = useConsoleTabs.getState();

  const closeTab = (key: string) => {
    close(key);
    if (useConsoleTabs.getState().tabs.length === 0) onEmpty?.();
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = tabs.findIndex((t) => t.key === activeKey);
    const next = tabs[(at + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next) activate(next.key);
  };

  if (tabs.length === 0) return null;
  return (
    <section className="console-tabs" aria-label="Consoles" data-testid="console-tabs">
      <div className="console-tablist" role="tablist" onKeyDown={onKey}>
        {tabs.map((t) => {
          const selected = t.key === activeKey;
          const sameServer = tabs.filter((x) => x.serverId === t.serverId && x.kind === t.kind);
          const n = sameServer.length > 1 ? ` (${sameServer.indexOf(t) + 1})` : '';
          return (
            <div key={t.key} className="console-tab" data-selected={selected ? '' : undefined} data-status={t.status}>
              <button
                type="button"
                role="tab"
                id={`${t.key}-tab`}
                aria-selected={selected}
                aria-controls={`${t.key}-panel`}
                tabIndex={selected ? 0 : -1}
                title={`${CONSOLE_LABELS[t.kind]} on ${t.serverName}: ${STATUS_LABEL[t.status]}`}
                onClick={() => activate(t.key)}
                onAuxClick={(e) => e.button === 1 && closeTab(t.key)}
              >
                <span className="console-dot" aria-hidden="true" />
                {t.serverName}
                {n}
                {t.kind !== 'ssh-shell' && <span className="console-kind"> · {CONSOLE_LABELS[t.kind]}</span>}
              </button>
              <button type="button" className="console-tab-close" aria-label={`Close ${t.serverName}`} data-testid="console-tab-close" onClick={() => closeTab(t.key)}>
                ×
              </button>
            </div>
          );
        })}
      </div>
      {tabs.map((t) => (
        <div key={t.key} id={`${t.key}-panel`} role="tabpanel" aria-labelledby={`${t.key}-tab`} className="console-panel" hidden={t.key !== activeKey}>
          <TabBody tab={t} active={t.key === activeKey} />
        </div>
      ))}
    </section>
  );
}
