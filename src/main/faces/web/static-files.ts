import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Resolves a URL path inside `root` and refuses anything that would climb out of it. Unknown
 * paths fall back to index.html so the single-page app can route.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  const base = path.resolve(root);
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(base, rel);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  // A missing file with an extension is a missing asset, not a page of the app.
  const candidates = path.extname(rel) ? [full] : [full, path.join(base, 'index.html')];
  for (const candidate of candidates) {
    try {
      const body = await fs.readFile(candidate);
      return { body, type: TYPES[path.extname(candidate)] ?? 'application/octet-stream' };
    } catch {
      // try the next
    }
  }
  return null;
}

/**
 * readStatic for one folder, with the built assets kept in memory once read: their names carry
 * a content hash, so a name's bytes never change, and a page's script (300 kB) is then served
 * without a trip through libuv's thread pool, which the engine's own start-up keeps busy just
 * when the first browser asks for it (issue 16). index.html and other unhashed paths are read
 * each time, so a rebuild under a running engine is served as built.
 */
export function staticFiles(root: string): (urlPath: string) => Promise<StaticFile | null> {
  const assets = new Map<string, Promise<StaticFile | null>>();
  const asset = (pathOnly: string) => {
    let file = assets.get(pathOnly);
    if (!file) {
      file = readStatic(root, pathOnly);
      // A missing asset is not remembered: the next build may bring it.
      void file.then((f) => f ?? assets.delete(pathOnly));
      assets.set(pathOnly, file);
    }
    return file;
  };
  return async (urlPath) => {
    const pathOnly = urlPath.split('?')[0] ?? '/';
    // Only a plain name under /assets/ is a key: spellings of one file (`/assets/./x.js`,
    // `%2e`) cannot fill the map with copies, and are served from disk as before.
    if (ASSET.test(pathOnly)) return asset(pathOnly);
    const file = await readStatic(root, urlPath);
    // The page names its script and style sheet: they are read now, while the HTML goes out and
    // the browser parses it, so they are in memory when it asks for them a moment later.
    if (file?.type.startsWith('text/html')) for (const name of assetsNamedIn(file.body)) void asset(name);
    return file;
  };
}

const ASSET = /^\/assets\/[\w.-]+$/;

/** The `/assets/…` paths an HTML page loads (`src="./assets/x.js"`, `href="./assets/y.css"`). */
export function assetsNamedIn(html: Buffer): string[] {
  const names = new Set<string>();
  for (const m of html.toString('utf8').matchAll(/\b(?:src|href)="\.?\/(assets\/[\w.-]+)"/g)) {
    if (m[1]) names.add(`/${m[1]}`);
  }
  return [...names];
}
