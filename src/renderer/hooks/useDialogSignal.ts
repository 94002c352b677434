import { useCallback, useEffect, useRef } from 'react';

/**
 * For a dialog that awaits calls: `signal()` gives an AbortSignal that aborts when the dialog
 * closes (unmounts), to pass as `client.x.y(input, { signal })`. Closing the dialog then cancels
 * what it still waits for, in main too, instead of leaving a call whose answer nobody shows.
 */
export function useDialogSignal(): () => AbortSignal {
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    // A fresh controller if a previous unmount (React's strict mode mounts twice) aborted it.
    if (controller.current?.signal.aborted) controller.current = null;
    const current = (controller.current ??= new AbortController());
    return () => current.abort();
  }, []);
  return useCallback(() => (controller.current ??= new AbortController()).signal, []);
}
