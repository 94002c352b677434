import { useCallback, useEffect, useState } from 'react';
import { CHANNEL_KINDS, CHANNEL_KIND_LABELS, CHANNEL_SECRET_LABELS, type ChannelKind, type ChannelSave, type ChannelView } from '../../../shared/contract/channels';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { CHANNEL_FIELDS, settingsFromForm } from './channel-fields';
import './alerts.css';

type Result = { ok: boolean; text: string };

const errorText = (e: unknown) => (e instanceof RackdeckError || e instanceof Error ? e.message : String(e));

/**
 * The alert channels (issue 18): each with its kind, state, whether its secret is stored (never
 * the secret), a "Send test" button, and removal. A channel is added from an Apprise-style URL
 * (one field for many services) or by kind, field by field.
 */
export function ChannelsPanel() {
  const client = useClient();
  const [channels, setChannels] = useState<ChannelView[] | undefined>(undefined);
  const [results, setResults] = useState<Record<string, Result>>({});
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<'url' | 'kind'>('url');
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ChannelKind>('gotify');
  const [id, setId] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState('');
  const [digest, setDigest] = useState('');

  const reload = useCallback(() => client.channels.list({}).then(setChannels, (e: unknown) => setError(errorText(e))), [client]);
  useEffect(() => void reload(), [reload]);

  const test = async (channelId: string) => {
    setBusy(`test-${channelId}`);
    try {
      const r = await client.channels.test({ id: channelId });
      setResults((x) => ({ ...x, [channelId]: { ok: r.ok, text: r.detail } }));
    } catch (e) {
      setResults((x) => ({ ...x, [channelId]: { ok: false, text: errorText(e) } }));
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async (channelId: string) => {
    setBusy(`remove-${channelId}`);
    try {
      await client.channels.remove({ id: channelId });
      await reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = async (c: ChannelView) => {
    const { secretSet: _s, secretHint: _h, legacy: _l, ...channel } = c;
    try {
      await client.channels.save({ channel: { ...channel, enabled: !c.enabled } });
      await reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const add = async () => {
    setError(undefined);
    const input: ChannelSave =
      mode === 'url'
        ? { url: url.trim(), ...(name.trim() ? { name: name.trim() } : {}) }
        : {
            channel: { id: id.trim(), name: name.trim() || id.trim(), kind, settings: settingsFromForm(kind, fields) } as NonNullable<ChannelSave['channel']>,
            ...(secret ? { secret } : {}),
          };
    setBusy('add');
    try {
      const saved = await client.channels.save(input);
      const minutes = Number(digest);
      if (digest.trim() && Number.isFinite(minutes) && minutes !== saved.digestMinutes) {
        const { secretSet: _s, secretHint: _h, legacy: _l, ...channel } = saved;
        await client.channels.save({ channel: { ...channel, digestMinutes: minutes } });
      }
      setDigest('');
      setUrl('');
      setSecret('');
      setName('');
      setId('');
      setFields({});
      await reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="channels-panel" data-testid="channels-panel">
      <h3>Channels</h3>
      {channels === undefined ? (
        <p className="muted">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channel yet: alerts show here and on the desktop only.</p>
      ) : (
        <ul className="channel-list">
          {channels.map((c) => (
            <li key={c.id} className="channel-item" data-enabled={c.enabled} data-testid={`channel-item-${c.id}`}>
              <div className="channel-info">
                <strong>{c.name}</strong> <span className="muted">{CHANNEL_KIND_LABELS[c.kind]}</span>
                <span className="muted"> · {c.enabled ? 'on' : 'off'}</span>
                <span className="muted" data-testid="channel-secret">
                  {' '}
                  · {CHANNEL_SECRET_LABELS[c.kind]}: {c.secretSet ? `set${c.secretHint ? ` (${c.secretHint})` : ''}` : 'not set'}
                </span>
                {c.digestMinutes > 0 && <span className="muted"> · digest every {c.digestMinutes} min</span>}
                {results[c.id] && (
                  <p className="channel-result" data-ok={results[c.id]?.ok} role="status" data-testid="channel-test-result">
                    {results[c.id]?.ok ? '✓ ' : '✗ '}
                    {results[c.id]?.text}
                  </p>
                )}
              </div>
              <div className="channel-actions">
                <button type="button" className="btn btn-sm" onClick={() => void toggle(c)} data-testid="channel-toggle">
                  {c.enabled ? 'Turn off' : 'Turn on'}
                </button>
                <button type="button" className="btn btn-sm" disabled={busy === `test-${c.id}`} onClick={() => void test(c.id)} data-testid="channel-send-test">
                  {busy === `test-${c.id}` ? 'Sending…' : 'Send test'}
                </button>
                <button type="button" className="btn btn-sm btn-danger" disabled={busy === `remove-${c.id}`} onClick={() => void remove(c.id)} data-testid="channel-remove">
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="channel-add" data-testid="channel-add">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" className="tab" aria-selected={mode === 'url'} onClick={() => setMode('url')}>
            From a URL
          </button>
          <button type="button" role="tab" className="tab" aria-selected={mode === 'kind'} onClick={() => setMode('kind')}>
            By kind
          </button>
        </div>
        {mode === 'url' ? (
          <label className="field">
            <span>Apprise-style URL (tgram://, discord://, gotify://, ntfys://, slack://, matrixs://, pover://, hassio://, mailto://, json://)</span>
            <input type="password" autoComplete="off" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="gotify://push.example.org/TOKEN" data-testid="channel-url" />
          </label>
        ) : (
          <>
            <label className="field">
              <span>Kind</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)} data-testid="channel-kind">
                {CHANNEL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {CHANNEL_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Id</span>
              <input value={id} onChange={(e) => setId(e.target.value)} placeholder="phone" data-testid="channel-id" />
            </label>
            {CHANNEL_FIELDS[kind].map((f) => (
              <label key={f.key} className="field">
                <span>{f.label}</span>
                {f.options ? (
                  <select value={fields[f.key] ?? f.options[0]} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })}>
                    {f.options.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input value={fields[f.key] ?? ''} placeholder={f.placeholder} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })} data-testid={`channel-field-${f.key}`} />
                )}
              </label>
            ))}
            <label className="field">
              <span>{CHANNEL_SECRET_LABELS[kind]}</span>
              <input type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} data-testid="channel-secret-input" />
            </label>
          </>
        )}
        <label className="field">
          <span>Digest: one message every N min (optional)</span>
          <input inputMode="numeric" value={digest} onChange={(e) => setDigest(e.target.value)} placeholder="0: each alert at once" data-testid="channel-digest" />
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="channel-name" />
        </label>
        <button type="button" className="btn btn-primary" disabled={busy === 'add' || (mode === 'url' ? !url.trim() : !id.trim())} onClick={() => void add()} data-testid="channel-save">
          Add channel
        </button>
        {error && (
          <p className="form-error" role="alert" data-testid="channel-error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
