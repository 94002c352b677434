/**
 * docs/PERFORMANCE.md: "renderer, 500 servers, 1 Hz updates → no long task > 50 ms". The built renderer
 * served by `rackdeck serve`, in Debian's Chromium, fed by a stand-in engine on its WebSocket
 * (tests/e2e/harness) so the patches come exactly once a second for 10 s; the page's tasks are
 * read from a Chrome trace. Two loads: every patch rewrites all 500 servers (the worst case),
 * and a patch changes a tenth of them (a busy but ordinary second). Thread CPU time is the
 * page's own cost; wall time also counts what the OS gave the neighbours on a shared machine.
 * This is the one place the renderer is timed (tests/e2e/scale.test.ts checks the same page
 * draws and updates every card, untimed); a page that drops a card or a patch, or reports an
 * error, fails the bench rather than print a figure for it.
 */
import type { PowerState } from '../src/shared/power';
import type { ServerView } from '../src/shared/server';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, startServe, traceTasks, type TaskStats } from '../tests/e2e/harness';
import { watchdog } from './support/home';
import { judge, meets, targetFor } from './targets';

const LONG_TASK = targetFor('renderer');
const SERVERS = 500;
const SECONDS = 10;
const stop = watchdog(4 * 60_000, 'renderer');

const fmt = (s: TaskStats) => `longest task ${s.maxCpuMs.toFixed(1)} ms CPU / ${s.maxWallMs.toFixed(1)} ms wall, ${s.cpuOver50} over 50 ms CPU, ${s.tasks} tasks`;

const suite = new Cleanup();
try {
  const browser = await launchBrowser(suite);
  const served = await startServe(suite, makeHome(suite));
  for (const [label, share] of [
    ['every patch changes all 500', 1],
    ['every patch changes 50 of 500', 0.1],
  ] as const) {
    const c = new Cleanup();
    try {
      const { page, errors } = await newAppPage(browser, c);
      const now = Date.now();
      const servers: ServerView[] = Array.from({ length: SERVERS }, (_, i) => fakeServer(i, now));
      const engine = await routeFakeEngine(page, servers);
      const first = await traceTasks(browser, page, async () => {
        await page.goto(served.openUrl);
        await engine.connected;
        await page.locator('[data-testid="server-card"]').nth(SERVERS - 1).waitFor();
      });
      // A figure taken from a page that drew fewer cards measures nothing (a patch that never
      // lands fails its waitFor below the same way).
      const cards = await page.getByTestId('server-card').count();
      if (cards !== SERVERS) throw new Error(`the page drew ${cards} cards for ${SERVERS} servers`);
      const per = Math.round(SERVERS * share);
      const updates = await traceTasks(browser, page, async () => {
        for (let tick = 1; tick <= SECONDS; tick++) {
          const started = Date.now();
          const power: PowerState = tick % 2 === 0 ? 'on' : 'waking';
          const changed = Array.from({ length: per }, (_, k) => servers[(tick * per + k) % SERVERS] as ServerView).map((s) => ({ ...s, power, since: now + tick, lastSeen: now + tick * 1000 }));
          engine.patch({ upsert: changed, remove: [] });
          const last = changed[changed.length - 1] as ServerView;
          await page.locator(`[data-testid="server-card"][data-server-id="${last.id}"][data-power="${power}"]`).waitFor({ timeout: 5000 });
          await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
        }
      });
      console.log(`renderer, ${SERVERS} servers, first render: ${fmt(first)}`);
      console.log(
        `renderer, ${SERVERS} servers, 1 Hz for ${SECONDS} s, ${label}: ${fmt(updates)}, longest task CPU ${judge(LONG_TASK, updates.maxCpuMs, label)}${updates.maxWallMs > LONG_TASK.value && meets(LONG_TASK, updates.maxCpuMs) ? ` (wall time over ${LONG_TASK.value} ms: the machine was busy)` : ''}`,
      );
      if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    } finally {
      await c.run();
    }
  }
} finally {
  await suite.run();
  stop();
}
