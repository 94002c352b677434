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
