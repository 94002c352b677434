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

/**
 * The page parsed and its style sheets in: boot.ts runs as soon as it arrives (`async`), not once
 * they are, so this chunk may come before them, and the first render's measurements (the top
 * bar's fit, the grid's columns) must see the page as styled.
 */
function pageReady(): Promise<unknown> {
  const once = (target: EventTarget, types: string[]) => new Promise((resolve) => types.forEach((type) => target.addEventListener(type, resolve, { once: true })));
  const parsed = document.readyState === 'loading' ? once(document, ['DOMContentLoaded']) : undefined;
  const sheets = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].filter((link) => link.sheet === null);
  return Promise.all([parsed, ...sheets.map((link) => once(link, ['load', 'error']))]);
}

// Loaded by boot.ts, the page's entry, which has already opened the link this client is. The
// mark says when the app could first render (its code in, the page styled): the renderer bench
// times the first render from it when the snapshot came earlier.
void pageReady().then(() => {
  performance.mark('rackdeck:app-ready');
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <ClientContext.Provider value={getClient()}>
        <App />
      </ClientContext.Provider>
    </StrictMode>,
  );
});
