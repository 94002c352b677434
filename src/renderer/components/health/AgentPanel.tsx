import { useEffect, useState } from 'react';
import type { AgentKeyInfo, CreatedAgentKey, InstallResult } from '../../../shared/contract/agents';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatDuration } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { HealthBadge } from './HealthBadge';
import { KeyOnce } from './KeyOnce';
import { ManualReset } from './ManualReset';
import { ReceiverSettings } from './ReceiverSettings';
import { ResetHistory } from './ResetHistory';
import { useHealth } from './useHealth';
import './health.css';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

function Figure({ label, share, text }: { label: string; share: number; text: string }) {
  const level = share > 0.9 ? 'high' : share > 0.75 ? 'mid' : undefined;
  return (
    <div className="hp-figure">
      <span className="hp-figure-label">{label}</span>
      <span className="hp-bar" data-level={level}>
        <span style={{ width: `${Math.min(100, share * 100).toFixed(1)}%` }} />
      </span>
      <span className="hp-figure-text">{text}</span>
    </div>
  );
}

/**
 * The health agent of one server, for the detail drawer: its verdict and figures, its keys
 * (a new one shown once), Install / Remove over SSH, the watchdog's auto-reset, a manual reset
 * with a reason, and the reset history. Every decision is main's; this only asks and shows.
 * The watchdog and resets exist for Proxmox VMs only (Proxmox is what resets them).
 */
export function AgentPanel({ server }: { server: ServerView }) {
  const client = useClient();
  const { health, resets, error, reload } = useHealth(server.id);
  const [keys, setKeys] = useState<AgentKeyInfo[]>([]);
  const [created, setCreated] = useState<CreatedAgentKey | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; steps?: string[] } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  /** The switch moves at once; main's answer (or its refusal) settles it. */
  const [autoReset, setAutoReset] = useState<boolean | null>(null);
  const heard = useTimeText((now) => (health?.lastReportAt === undefined ? 'never' : formatAgo(health.lastReportAt, now)));

  const loadKeys = () => void client.agents.listKeys({ serverId: server.id }).then(setKeys, () => undefined);
  useEffect(loadKeys, [client, server.id]);

  const act = async (label: string, fn: () => Promise<string | InstallResult>) => {
    setBusy(label);
    setMessage(null);
    try {
      const r = await fn();
      setMessage(typeof r === 'string' ? { kind: 'ok', text: r } : { kind: 'ok', text: `Installed (${r.scheduler}).`, steps: r.steps });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
      loadKeys();
      await reload();
    }
  };

  const f = health?.figures;
  const o = health?.options;
  const vm = server.kind === 'vm' && server.proxmox?.vmid !== undefined;
  const activeKeys = keys.filter((k) => k.revokedAt === undefined);
  const quiet = !health || (health.state === 'unknown' && !health.hasAgentKey && activeKeys.length === 0);

  return (
    <section className="agent-panel" data-testid="agent-panel">
      {quiet ? (
        <p className="muted">
          No agent reports for {server.name}. An agent is a small script (cron or a systemd timer) that sends CPU, memory, disk and uptime every 30 s{vm ? '; the watchdog resets the VM through Proxmox when they stop' : ''}.
        </p>
      ) : (
        <div className="hp-summary">
          <HealthBadge health={health} />
          <span className="muted" data-testid="heartbeat">
            heard {heard}
          </span>
          {health?.detail && <p className="hp-detail">{health.detail}</p>}
        </div>
      )}
      {f && (
        <div className="hp-figures" data-testid="agent-figures">
          <Figure label="CPU" share={f.cpuPercent / 100} text={`${f.cpuPercent.toFixed(1)} %`} />
          <Figure label="Memory" share={f.memTotalBytes ? f.memUsedBytes / f.memTotalBytes : 0} text={`${gib(f.memUsedBytes)} of ${gib(f.memTotalBytes)}`} />
          <Figure label="Disk /" share={f.diskTotalBytes ? f.diskUsedBytes / f.diskTotalBytes : 0} text={`${gib(f.diskUsedBytes)} of ${gib(f.diskTotalBytes)}`} />
          <p className="hp-figure-foot muted">
            {f.hostname}
            {f.vmid !== undefined && ` · VM ${f.vmid}${f.node ? ` on ${f.node}` : ''}`} · up {formatDuration(f.uptimeSeconds * 1000)}
          </p>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      <ReceiverSettings compact={quiet} />

      <div className="hp-block">
        <h4 className="drawer-sub">Agent</h4>
        {created ? (
          <KeyOnce created={created} onDone={() => setCreated(null)} />
        ) : (
          <div className="hp-row">
            {server.ssh && (
              <button type="button" className="btn btn-sm btn-primary" disabled={busy !== null} title="Copies the script over SSH, writes its key, enables its timer and waits for the first heartbeat" data-testid="agent-install" onClick={() => void act('install', () => client.agents.install({ id: server.id }))}>
                {busy === 'install' ? 'Installing…' : activeKeys.length > 0 ? 'Reinstall agent' : 'Install agent'}
              </button>
            )}
            <button
              type="button"
              className={`btn btn-sm ${server.ssh ? '' : 'btn-primary'}`}
              disabled={busy !== null}
              data-testid="agent-key-create"
              title="A key and a config file, for installing by hand"
              onClick={() =>
                void act('key', async () => {
                  setCreated(await client.agents.createKey({ serverId: server.id }));
                  return 'Key created.';
                })
              }
            >
              New key
            </button>
            {!server.ssh && <span className="muted hp-hint">With SSH settings (Edit), Rackdeck installs it for you.</span>}
            {activeKeys.length > 0 && (
              <button type="button" className="btn btn-sm btn-danger-ghost" disabled={busy !== null} onClick={() => setConfirmRemove(true)}>
                Remove agent…
              </button>
            )}
          </div>
        )}
        {activeKeys.length > 0 && (
          <ul className="hp-keys" data-testid="agent-keys">
            {activeKeys.map((k) => (
              <li key={k.id}>
                <span className="mono">{k.id}</span>
                <span className="muted">{k.label ?? ''}</span>
                <span className="muted">{k.lastUsedAt !== undefined ? `used ${formatAgo(k.lastUsedAt, Date.now())}` : 'never used'}</span>
                <button type="button" className="link" onClick={() => void act('revoke', async () => `Revoked ${(await client.agents.revokeKey({ keyId: k.id })).revoked.length} key.`)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
        {message && (
          <div role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'form-error' : 'hp-ok'}>
            {message.text}
            {message.steps && (
              <ul>
                {message.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      {vm && o && (
        <div className="hp-block">
          <h4 className="drawer-sub">Watchdog</h4>
          <label className="switch-row">
            <input
              type="checkbox"
              role="switch"
              checked={autoReset ?? o.autoReset}
              disabled={busy !== null}
              data-testid="auto-reset"
              onChange={(e) => {
                const on = e.target.checked;
                setAutoReset(on);
                void act('watch', async () => {
                  await client.agents.setWatch({ id: server.id, autoReset: on });
                  return on ? 'Auto-reset is on.' : 'Auto-reset is off.';
                }).finally(() => setAutoReset(null));
              }}
            />
            <span>Reset it through Proxmox when the heartbeat stops</span>
          </label>
          <p className="muted hp-rules">
            Down after {formatDuration(o.staleMs)} of silence; at most {o.maxAttempts} resets per {formatDuration(o.windowMs)}, {formatDuration(o.cooldownMs)} apart
            {health && health.attemptsInWindow > 0 ? ` (${health.attemptsInWindow} used)` : ''}. Never during a shutdown you started.
          </p>
          <ManualReset serverId={server.id} serverName={server.name} disabled={busy !== null} />
        </div>
      )}

      {(vm || resets.length > 0) && (
        <div className="hp-block">
          <h4 className="drawer-sub">Reset history</h4>
          <ResetHistory resets={resets} />
        </div>
      )}

      {confirmRemove && (
        <ConfirmDialog
          title={`Remove the agent from ${server.name}?`}
          confirmLabel="Remove agent"
          onClose={() => setConfirmRemove(false)}
          onConfirm={async () => {
            setConfirmRemove(false);
            await act('remove', async () => {
              const r = await client.agents.uninstall({ id: server.id });
              return `Removed; ${r.revoked.length} key(s) revoked.`;
            });
          }}
        >
          <p>Rackdeck stops its timer, deletes the agent and its config over SSH, and revokes its keys. The watchdog then has no heartbeat to judge.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
