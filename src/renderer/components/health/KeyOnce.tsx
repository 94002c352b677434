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
    <div className="key-once" role="status" data-testid="key-once">
      <strong>Copy this key now: it will not be shown again.</strong>
      <div className="hp-row">
        <input className="mono hp-reason" readOnly value={created.key} aria-label="Agent key" data-testid="agent-key" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn" onClick={() => void copy('key')}>
          {copied === 'key' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <details>
        <summary>/etc/rackdeck-agent.conf for installing by hand</summary>
        <pre className="mono key-config">{created.config}</pre>
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
