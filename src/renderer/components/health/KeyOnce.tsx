import { useState } from 'react';
import type { CreatedAgentKey } from '../../../shared/contract/agents';

/**
 * A freshly created agent key: shown this once with a copy button. Closing it drops the key
 * from memory; Rackdeck keeps only its hash and cannot show it again.
 */
export function KeyOnce({ created, onDone }: { created: CreatedAgentKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'key' | 'config' | null>(null);
  const copy = async (what: 'key' | 'config') => {
    try {
      await navigator.clipboard.writeText(what === 'key' ? created.key : created.config);
      setCopied(what);
    } catch {
      setCopied(null);
    }
  };
  return (
    <div className="key-once" role="status" data-testid="key-once" style={{ display: 'grid', gap: 8 }}>
      <strong>Copy this key now: it will not be shown again.</strong>
      <div style={{ display: 'flex', gap: 6 }}>
        <input className="mono" readOnly value={created.key} aria-label="Agent key" data-testid="agent-key" style={{ flex: 1, minWidth: 0 }} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn" onClick={() => void copy('key')}>
          {copied === 'key' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <details>
        <summary>/etc/rackdeck-agent.conf for installing by hand</summary>
        <pre className="mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{created.config}</pre>
        <button type="button" className="btn btn-ghost" onClick={() => void copy('config')}>
          {copied === 'config' ? 'Copied' : 'Copy config'}
        </button>
      </details>
      <div>
        <button type="button" className="btn btn-primary" onClick={onDone} data-testid="key-done">
          I have stored it
        </button>
      </div>
    </div>
  );
}
