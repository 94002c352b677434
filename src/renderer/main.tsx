// First: it opens the socket before the modules below are evaluated (boot.ts says why).
import { client } from './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ClientContext } from './hooks/useClient';
import './styles/theme.css';
import './styles/base.css';
import './styles/topbar.css';
import './styles/cards.css';
import './styles/groups.css';
import './styles/drawer.css';
import './styles/dialogs.css';
import './styles/feedback.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
