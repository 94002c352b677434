import { useId, type ReactElement } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  'data-testid': string;
}

/**
 * A labelled input with its hint and its error underneath; the control gets the ids wired so a
 * screen reader reads the error with the field.
 */
export function FormField(props: {
  field: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  className?: string;
  children: (control: FieldControlProps) => ReactElement;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${props.className ?? ''}`} data-invalid={props.error ? true : undefined}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': Boolean(props.error), 'aria-describedby': describedBy, 'data-testid': `field-${props.field}` })}
      {props.error ? (
        <p className="field-error" id={errorId} role="alert" data-testid={`error-${props.field}`}>
          {props.error}
        </p>
      ) : (
        props.hint && (
          <p className="field-hint" id={hintId}>
            {props.hint}
          </p>
        )
      )}
    </div>
  );
}
