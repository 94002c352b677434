import { useMemo, useState, type FormEvent } from 'react';
import { IDLE_ACTIONS, type IdleAction } from '../../../shared/contract/automation';
import { useRackdeck } from '../../store';
import { shortTime, type AutomationApi } from './useAutomation';

/** Idle auto-suspend: which servers have it, where each stands, "keep awake 2 h"; and a form to set it. */
export function IdleSection({ api }: { api: AutomationApi }) {
  const all = useRackdeck((s) => s.servers);
  const servers = useMemo(() => Object.values(all).map((v) => ({ id: v.id, name: v.name })).sort((a, b) => a.name.localeCompare(b.name)), [all]);
  const [serverId, setServerId] = useState('');
  const [minutes, setMinutes] = useState('30');
  const [cpu, setCpu] = useState('10');
  const [net, setNet] = useState('1');
  const [action, setAction] = useState<IdleAction>('suspend');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void api.setIdle({ serverId: serverId || servers[0]?.id || '', idleMinutes: Number(minutes), cpuBelowPct: Number(cpu), netBelowMbps: Number(net), action });
  };

  return (
    <div data-testid="idle-section">
      {api.idle && api.idle.length > 0 && (
        <table className="automation-table">
          <thead>
            <tr>
              <th>Server</th>
              <th>After</th>
              <th>Lines</th>
              <th>Now</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {api.idle.map((v) => (
              <tr key={v.serverId} data-testid="idle-row">
                <td>{v.serverName}</td>
                <td>
                  {v.idleMinutes} min → {v.action}
                </td>
                <td>
                  CPU &lt; {v.cpuBelowPct} %, net &lt; {v.netBelowMbps} Mb/s
                </td>
                <td>{v.keepAwakeUntil ? `kept awake until ${shortTime(v.keepAwakeUntil)}` : (v.busy ?? (v.idleSince ? `idle since ${shortTime(v.idleSince)}` : '–'))}</td>
                <td className="nowrap">
                  <button type="button" className="btn btn-ghost" data-testid="keep-awake" onClick={() => void api.keepAwake(v.serverId)}>
                    Keep awake 2 h
                  </button>
                  <button type="button" className="btn btn-ghost" onClick={() => void api.removeIdle(v.serverId)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="automation-form automation-row" onSubmit={submit} data-testid="idle-form">
        <label>
          Server
          <select value={serverId || servers[0]?.id || ''} onChange={(e) => setServerId(e.target.value)}>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Idle for (min)
          <input type="number" min={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        <label>
          CPU below %
          <input type="number" min={0} max={100} value={cpu} onChange={(e) => setCpu(e.target.value)} />
        </label>
        <label>
          Network below Mb/s
          <input type="number" min={0} value={net} onChange={(e) => setNet(e.target.value)} />
        </label>
        <label>
          Then
          <select value={action} onChange={(e) => setAction(e.target.value as IdleAction)}>
            {IDLE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary">
          Suspend when idle
        </button>
      </form>
    </div>
  );
}
