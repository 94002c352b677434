import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getClient } from './client';
import { ClientContext } from './hooks/useClient';
import './styles/theme.css';
import './styles/base.css';
import './styles/topbar.css';
import './styles/cards.css';
import './styles/groups.css';
import './styles/drawer.css';
import './styles/dialogs.css';
import './styles/feedback.css';

// Loaded by boot.ts, the page's entry, which has already opened the link this client is.
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ClientContext.Provider value={getClient()}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
