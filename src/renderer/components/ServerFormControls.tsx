import type { ReactNode } from 'react';
import type { FieldKey } from '../lib/form-model';
import { FormField } from './FormField';

/** A secret input: never filled from main (it cannot be read back), only "stored" or not. */
export function SecretInput(props: {
  field: FieldKey;
  label: string;
  stored: boolean;
  value: string;
  clear: boolean;
  error?: string | undefined;
  hint: string;
  onChange: (value: string) => void;
  onClear: (clear: boolean) => void;
  className?: string;
}) {
  return (
    <FormField field={props.field} label={props.label} hint={props.stored ? `Stored encrypted. Type a new one to replace it.` : props.hint} error={props.error} {...(props.className ? { className: props.className } : {})}>
      {(p) => (
        <div className="secret-input">
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={props.value}
            disabled={props.clear}
            placeholder={props.stored ? '•••••••• (stored)' : ''}
            onChange={(e) => props.onChange(e.target.value)}
          />
          {props.stored && (
            <label className="secret-clear">
              <input type="checkbox" checked={props.clear} onChange={(e) => props.onClear(e.target.checked)} /> Remove
            </label>
          )}
        </div>
      )}
    </FormField>
  );
}

export function Switch(props: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; testId: string; hint?: string }) {
  return (
    <label className="switch-row">
      <input type="checkbox" role="switch" checked={props.checked} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span>
        {props.children}
        {props.hint && <span className="muted"> · {props.hint}</span>}
      </span>
    </label>
  );
}
