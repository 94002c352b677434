import type { ReactNode } from 'react';
import type { Result } from './useIntegrations';

export function ResultLine({ result, testId }: { result: Result; testId: string }) {
  if (!result) return null;
  return (
    <p className="channel-result" data-ok={result.ok} role="status" data-testid={testId}>
      {result.ok ? '✓ ' : '✗ '}
      {result.text}
    </p>
  );
}

/** One integration: its switch, what it is doing now, its fields, Save and Test connection. */
export function IntegrationCard(props: {
  name: string;
  title: string;
  hint: string;
  enabled: boolean;
  onToggle(v: boolean): void;
  live: ReactNode;
  result: Result;
  busy: boolean;
  onSave(test: boolean): void;
  children: ReactNode;
}) {
  return (
    <section className="channel integration" data-enabled={props.enabled} data-testid={`integration-${props.name}`}>
      <header>
        <label className="switch">
          <input type="checkbox" checked={props.enabled} onChange={(e) => props.onToggle(e.target.checked)} aria-label={`${props.title} on`} data-testid={`${props.name}-enabled`} />
          <span aria-hidden="true" />
        </label>
        <div>
          <h3>{props.title}</h3>
          <p className="muted">{props.hint}</p>
        </div>
      </header>
      <div className="integration-live" data-testid={`${props.name}-status`}>
        {props.live}
      </div>
      {props.children}
      <div className="channel-actions">
        <ResultLine result={props.result} testId={`${props.name}-result`} />
        <button type="button" className="btn btn-sm" disabled={props.busy} onClick={() => props.onSave(true)} data-testid={`${props.name}-test`}>
          {props.busy ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="btn btn-sm btn-primary" disabled={props.busy} onClick={() => props.onSave(false)} data-testid={`${props.name}-save`}>
          Save
        </button>
      </div>
    </section>
  );
}

/** A dot and words: what an integration is doing. */
export function LiveState({ tone, children }: { tone: 'ok' | 'warn' | 'off' | 'bad'; children: ReactNode }) {
  return (
    <p className="integration-state" data-tone={tone}>
      <span className="dot" aria-hidden="true" />
      {children}
    </p>
  );
}
