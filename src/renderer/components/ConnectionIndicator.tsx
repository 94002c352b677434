import { useRackdeck } from '../store';

const WORDS = { open: 'Live', connecting: 'Connecting', closed: 'Offline', unauthorized: 'No access' } as const;

/** A small dot and word: is what I see live? */
export function ConnectionIndicator() {
  const state = useRackdeck((s) => s.connection.state);
  return (
    <span className="conn" data-state={state} data-testid="connection-indicator" role="status" title={`Connection to the engine: ${WORDS[state].toLowerCase()}`}>
      <span className="conn-dot" aria-hidden="true" />
      {WORDS[state]}
    </span>
  );
}
