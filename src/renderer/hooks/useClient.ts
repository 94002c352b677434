import { createContext, useContext } from 'react';
import type { RackdeckClient } from '../../shared/contract';

export const ClientContext = createContext<RackdeckClient | null>(null);

/** The typed client, from context so a component never reaches for a global. */
export function useClient(): RackdeckClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
