import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rollup } from 'vite';

/**
 * Names main.tsx's chunk in the built HTML (`<link rel="modulepreload">`): boot.ts, the page's
 * entry, imports it only once it runs, and the browser should fetch and compile it meanwhile, as
 * it did when it was part of the one entry script (issue 16). The web face also names it in its
 * Link header, from this tag (src/main/faces/web/server.ts).
 */
function preloadMain(): Plugin {
  return {
    name: 'rackdeck:preload-main',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // By the module it holds: main.tsx exports nothing, so Rollup gives its chunk no facade.
        const main = Object.values(ctx.bundle ?? {}).find((c): c is Rollup.OutputChunk => c.type === 'chunk' && c.isDynamicEntry && c.moduleIds.some((id) => id.endsWith('/src/renderer/main.tsx')));
        if (!main) throw new Error('vite.config.ts: the build has no chunk for src/renderer/main.tsx to preload');
        const css = [...(main.viteMetadata?.importedCss ?? [])].map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }));
        return [...css, { tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${main.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

// The renderer is served from file:// in Electron and from the web face over http, so every
// asset URL is relative.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react(), preloadMain()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and noise in every build.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
});
