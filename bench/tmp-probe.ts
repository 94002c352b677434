import { Cleanup, launchBrowser, makeHome, newAppPage, startServe } from '../tests/e2e/harness';
const suite = new Cleanup();
try {
  const browser = await launchBrowser(suite);
  const forty = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, address: `127.13.0.${i + 1}`, ports: [9] }));
  for (let series = 0; series < 2; series++) {
    const { page } = await newAppPage(browser, suite);
    await page.goto('about:blank');
    if (process.env.SETTLE) await new Promise((r) => setTimeout(r, 2000));
    for (let r = 0; r < 3; r++) {
      const c = new Cleanup();
      const home = makeHome(c, { servers: forty });
      await page.goto('about:blank');
      const spawn = Date.now();
      const served = await startServe(c, home);
      const url = Date.now() - spawn;
      await page.goto(served.openUrl, { waitUntil: 'commit' });
      await page.waitForSelector('[data-testid="server-card"]');
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const o = performance.timeOrigin;
        const res = performance.getEntriesByType('resource').map((e) => { const x = e as PerformanceResourceTiming; return `${x.name.split('/').pop()} start ${Math.round(o + x.startTime)} reqStart ${Math.round(o + x.requestStart)} respStart ${Math.round(o + x.responseStart)} end ${Math.round(o + x.responseEnd)}`; });
        return { origin: Math.round(o), navStart: Math.round(o + nav.startTime), respStart: Math.round(o + nav.responseStart), respEnd: Math.round(o + nav.responseEnd), domInteractive: Math.round(o + nav.domInteractive), res };
      });
      const rel = (n: number) => n - spawn;
      console.log(`series ${series} round ${r}: url ${url} origin ${rel(t.origin)} navStart ${rel(t.navStart)} respStart ${rel(t.respStart)} respEnd ${rel(t.respEnd)} domInteractive ${rel(t.domInteractive)}`);
      for (const line of t.res.slice(0, 4)) console.log('   ', line.replace(/\d{13}/g, (m) => String(Number(m) - spawn)));
      await c.run();
    }
  }
} finally { await suite.run(); }
