import { useEffect, useState } from 'react';
import type { AgentKeyInfo, CreatedAgentKey, InstallResult } from '../../../shared/contract/agents';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatDuration } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { DetailRow } from '../detail/DetailRow';
import { HealthBadge } from './HealthBadge';
import { KeyOnce } from './KeyOnce';
import { ManualReset } from './ManualReset';
import { ResetHistory } from './ResetHistory';
import { useHealth } from './useHealth';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/**
 * The health agent of one server, for the detail drawer: its verdict and figures, its keys
 * (a new one shown once), Install / Remove over SSH, the watchdog's auto-reset, a manual reset
 * with a reason, and the reset history. Every decision is main's; this only asks and shows.
 */
export function AgentPanel({ server }: { server: ServerView }) {
  const client = useClient();
  const { health, resets, error, reload } = useHealth(server.id);
  const [keys, setKeys] = useState<AgentKeyInfo[]>([]);
  const [created, setCreated] = useState<CreatedAgentKey | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; steps?: string[] } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
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
      void reload();
    }
  };

  const f = health?.figures;
  const o = health?.options;
  const activeKeys = keys.filter((k) => k.revokedAt === undefined);
  return (
    <section className="agent-panel" data-testid="agent-panel" style={{ display: 'grid', gap: 14 }}>
      <dl className="dlist">
        <DetailRow term="Health">
          <HealthBadge health={health} />
          {health?.detail && <div className="muted">{health.detail}</div>}
        </DetailRow>
        <DetailRow term="Heartbeat">{heard}</DetailRow>
        {f && (
          <>
            <DetailRow term="Reported">
              {f.hostname}
              {f.vmid !== undefined && <span className="muted"> · VM {f.vmid}{f.node ? ` on ${f.node}` : ''}</span>}
            </DetailRow>
            <DetailRow term="CPU">{f.cpuPercent.toFixed(1)} %</DetailRow>
            <DetailRow term="Memory">
              {gib(f.memUsedBytes)} of {gib(f.memTotalBytes)}
            </DetailRow>
            <DetailRow term="Disk /">
              {gib(f.diskUsedBytes)} of {gib(f.diskTotalBytes)}
            </DetailRow>
            <DetailRow term="Uptime">{formatDuration(f.uptimeSeconds * 1000)}</DetailRow>
          </>
        )}
      </dl>
      {error && <p className="form-error" role="alert">{error}</p>}

      <div style={{ display: 'grid', gap: 8 }}>
        <h4 style={{ margin: 0 }}>Agent</h4>
        {created ? (
          <KeyOnce created={created} onDone={() => setCreated(null)} />
        ) : (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
            <button type="button" className="btn btn-primary" disabled={busy !== null} data-testid="agent-install" onClick={() => void act('install', () => client.agents.install({ id: server.id }))}>
              {busy === 'install' ? 'Installing…' : 'Install agent'}
            </button>
            <button type="button" className="btn" disabled={busy !== null} data-testid="agent-key-create" onClick={() => void act('key', async () => {
              setCreated(await client.agents.createKey({ serverId: server.id }));
              return 'Key created.';
            })}>
              New key
            </button>
            <button type="button" className="btn btn-danger-ghost" disabled={busy !== null || activeKeys.length === 0} onClick={() => setConfirmRemove(true)}>
              Remove agent…
            </button>
          </div>
        )}
        {activeKeys.length > 0 && (
          <ul className="muted" style={{ margin: 0, paddingLeft: 18 }}>
            {activeKeys.map((k) => (
              <li key={k.id}>
                <span className="mono">{k.id}</span> {k.label ?? ''}{' '}
                <button type="button" className="link" onClick={() => void act('revoke', async () => `Revoked ${(await client.agents.revokeKey({ keyId: k.id })).revoked.length} key.`)}>
                  revoke
                </button>
              </li>
            ))}
          </ul>
        )}
        {message && (
          <div role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'form-error' : 'muted'}>
            {message.text}
            {message.steps && (
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {message.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      {o && (
        <div style={{ display: 'grid', gap: 6 }}>
          <h4 style={{ margin: 0 }}>Watchdog</h4>
          <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input
              type="checkbox"
              checked={o.autoReset}
              disabled={busy !== null}
              data-testid="auto-reset"
              onChange={(e) => {
                const on = e.target.checked;
                void act('watch', async () => {
                  await client.agents.setWatch({ id: server.id, autoReset: on });
                  return on ? 'Auto-reset is on.' : 'Auto-reset is off.';
                });
              }}
            />
            Reset through Proxmox when the heartbeat stops
          </label>
          <p className="muted" style={{ margin: 0 }}>
            Down after {formatDuration(o.staleMs)} of silence; at most {o.maxAttempts} resets per {formatDuration(o.windowMs)}, {formatDuration(o.cooldownMs)} apart
            {health && health.attemptsInWindow > 0 ? ` (${health.attemptsInWindow} used)` : ''}. Never during a shutdown you started.
          </p>
          <ManualReset serverId={server.id} serverName={server.name} disabled={busy !== null} />
        </div>
      )}

      <div style={{ display: 'grid', gap: 6 }}>
        <h4 style={{ margin: 0 }}>Reset history</h4>
        <ResetHistory resets={resets} />
      </div>

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
