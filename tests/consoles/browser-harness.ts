import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p: string) => JSON.stringify(path.join(ROOT, p));

/**
 * A page that mounts the console components the way the app will (the real client over the
 * web face's WebSocket, the app's theme), built with Vite into a temp folder. The entry lives
 * outside the source tree (it is test scaffolding, not typechecked with the app), and imports
 * everything by absolute path so it shares the app's single React.
 */
const ENTRY = `
import { createElement as h, useEffect, useState } from ${at('node_modules/react/index.js')};
import { createRoot } from ${at('node_modules/react-dom/client.js')};
import { getClient } from ${at('src/renderer/client.ts')};
import { ClientContext } from ${at('src/renderer/hooks/useClient.ts')};
import { ConsoleActions } from ${at('src/renderer/components/consoles/ConsoleActions.tsx')};
import { ConsoleTabs } from ${at('src/renderer/components/consoles/ConsoleTabs.tsx')};
import ${at('src/renderer/styles/theme.css')};
import ${at('src/renderer/styles/base.css')};

const client = getClient();
function Harness() {
  const [servers, setServers] = useState([]);
  useEffect(() => {
    const load = () => client.servers.snapshot({}).then((s) => setServers(s.servers), () => setTimeout(load, 200));
    load();
  }, []);
  return h('div', { style: { display: 'grid', gridTemplateRows: 'auto 1fr', gap: '12px', height: '100vh', padding: '12px' } },
    h('div', { style: { display: 'flex', gap: '16px', flexWrap: 'wrap' } },
      servers.map((s) => h('div', { key: s.id, 'data-server-id': s.id, style: { display: 'flex', gap: '8px', alignItems: 'center' } }, h('strong', null, s.name), h(ConsoleActions, { server: s })))),
    h('div', { style: { minHeight: 0 } }, h(ConsoleTabs, null)));
}
createRoot(document.getElementById('root')).render(h(ClientContext.Provider, { value: client }, h(Harness)));
`;

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Consoles harness</title></head><body><div id="root"></div><script type="module" src="./main.js"></script></body></html>`;

/** Builds the harness; returns the folder to serve and a function that removes it all. */
export async function buildHarness(): Promise<{ dir: string; remove(): void }> {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-consoles-harness-'));
  const out = path.join(src, 'dist');
  fs.writeFileSync(path.join(src, 'index.html'), HTML);
  fs.writeFileSync(path.join(src, 'main.js'), ENTRY);
  await build({
    configFile: false,
    root: src,
    base: './',
    logLevel: 'error',
    plugins: [react()],
    build: { outDir: out, emptyOutDir: true, sourcemap: false, minify: false, chunkSizeWarningLimit: 10_000 },
  });
  return { dir: out, remove: () => fs.rmSync(src, { recursive: true, force: true }) };
}
