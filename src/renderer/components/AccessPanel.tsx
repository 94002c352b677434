import { useState, type FormEvent } from 'react';
import { signIn } from '../client';
import { useRackdeck } from '../store';
import { FormField } from './FormField';
import { Icon } from './Icon';

/**
 * Shown instead of the grid when the page has no token, or the engine refused the one it has:
 * no data is on screen. Says where the right address is printed, and takes the token (or the
 * whole address) so the admin need not open a new link.
 */
export function AccessPanel() {
  const reason = useRackdeck((s) => s.connection.reason);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const refused = reason?.includes('refused') ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signIn(typed)) setError('Paste the token, or the whole address that ends in #token=…');
    else setError(undefined);
  };

  return (
    <section className="empty access" data-testid="access-panel" data-refused={refused || undefined} aria-labelledby="access-title">
      <span className="empty-icon">
        <Icon name="lock" size={36} />
      </span>
      <h2 id="access-title">{refused ? 'This access link has a wrong token' : 'This page needs its access link'}</h2>
      <p>
        Rackdeck only shows your servers to a browser that holds its access token. <code>rackdeck serve</code> printed the full address when it started
        (it ends in <code>#token=…</code>); <code>rackdeck web-url</code> prints it again on the machine that runs Rackdeck.
      </p>
      <form className="access-form" onSubmit={submit} data-testid="access-form">
        <FormField field="token" label="Access token" error={error} hint="The token, or the whole address. It is kept for this tab only.">
          {(control) => <input {...control} type="password" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />}
        </FormField>
        <button type="submit" className="btn btn-primary" data-testid="access-submit" disabled={typed.trim() === ''}>
          Open Rackdeck
        </button>
      </form>
    </section>
  );
}
