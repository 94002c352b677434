// Drives the bundled main through the fake Electron, as the renderer, the tray and the admin
// would, and prints one `RESULT <json>` line per step for main-bundle.test.ts to check.
import net from 'node:net';
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';

const out = (step, value) => console.log(`RESULT ${JSON.stringify({ step, value })}`);
const until = async (what, test, ms = 5000) => {
  const end = Date.now() + ms;
  for (;;) {
    const value = test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

export async function run({ recorded, app, window }) {
  const contents = window.webContents;
  const handler = recorded.handlers.get('rackdeck:request');
  const pageUrl = pathToFileURL(window.loadedFile).href;
  const fromPage = (channel, input, url = pageUrl) => handler({ sender: contents, senderFrame: { url, parent: null } }, channel, input);
  // As the preload does: main sends the page only the events it subscribed to.
  const control = (op, arg) => recorded.handlers.get('rackdeck:control')({ sender: contents, senderFrame: { url: pageUrl, parent: null } }, op, arg);

  out('window', { options: window.options, loadedFile: window.loadedFile, visible: window.visible, sandbox: recorded.sandbox });
  out('info', await fromPage('app.info', {}));
  out('foreign', await fromPage('app.info', {}, 'https://evil.example/'));
  out('permissions', { notifications: recorded.permissionCheck(null, 'notifications'), media: recorded.permissionCheck(null, 'media') });
  out('windowOpen', contents.openHandler({ url: 'https://evil.example/' }));

  const listener = net.createServer((s) => s.destroy());
  await new Promise((r) => listener.listen(0, '127.0.0.1', r));
  const port = listener.address().port;
  // The magic packet goes to a loopback socket of ours only, never to a broadcast address.
  const wolSink = (await import('node:dgram')).createSocket('udp4');
  await new Promise((r) => wolSink.bind(0, '127.0.0.1', r));
  const packets = [];
  wolSink.on('message', (m) => packets.push(m));
  const wol = { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [wolSink.address().port] };
  await control('subscribe', 'servers.patch');
  const added = await fromPage('servers.add', { name: 'loop', address: '127.0.0.1', ports: [port], mac: 'aa:bb:cc:dd:ee:ff', wol });
  out('added', added);
  const sawOn = await until('a patch with loop on', () =>
    contents.sent.find(([ch, name, p]) => ch === 'rackdeck:event' && name === 'servers.patch' && p.upsert.some((s) => s.id === 'loop' && s.power === 'on')),
  );
  out('patchOn', sawOn[2].upsert.find((s) => s.id === 'loop').power);

  const tray = recorded.trays[0];
  const menu = await until('the tray menu to show loop', () => tray.menu?.some((m) => m.label === 'loop — On') && tray.menu);
  out('tray', { image: tray.image, tooltip: tray.tooltip, labels: menu.map((m) => m.label ?? m.type) });

  // Tray "Wake" runs the same power command as the card: a magic packet, then `waking`.
  const loopMenu = menu.find((m) => m.label === 'loop — On');
  loopMenu.submenu.find((i) => i.label === 'Show in Rackdeck').click();
  out('select', contents.sent.find(([, name]) => name === 'ui.select')?.[2]);
  await new Promise((r) => listener.close(r));
  await fromPage('servers.refresh', { id: 'loop' });
  const off = await until('the tray to show loop off', () => recorded.trays[0].menu?.find((m) => m.label === 'loop — Off'));
  out('trayImageOff', recorded.trays[0].image);
  off.submenu.find((i) => i.label === 'Wake').click();
  await until('the tray to show loop waking', () => recorded.trays[0].menu?.find((m) => m.label === 'loop — Waking…'));
  await until('the magic packet', () => packets.length > 0);
  out('wakePacket', { bytes: packets[0].length, header: packets[0].subarray(0, 6).toString('hex') });
  wolSink.close();
  out('trayImageWaking', recorded.trays[0].image);

  // Closing the window hides it to the tray; the engine keeps running.
  out('closeHides', { closed: window.close(), visible: window.visible, destroyed: window.destroyed });

  recorded.onQuit = () => {
    out('quit', { quitCalls: recorded.quitCalls, trayDestroyed: tray.destroyed, windowDestroyed: window.destroyed, handlerLeft: recorded.handlers.has('rackdeck:request') });
    setImmediate(() => process.exit(0));
  };
  app.quit();
}
