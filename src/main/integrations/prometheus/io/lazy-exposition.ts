import type { RenderExposition } from '../../ports';

/**
 * prom-client's rendering, loaded at the first scrape rather than when the engine starts: its
 * package is code every `serve` would compile and run before printing its URL (issue 16), and
 * most homes are never scraped. The registry is built once, on that first scrape.
 */
export function lazyPromClientExposition(): RenderExposition {
  let render: Promise<RenderExposition> | undefined;
  return async (collected) => {
    render ??= import('./exposition').then((m) => m.promClientExposition());
    return (await render)(collected);
  };
}
