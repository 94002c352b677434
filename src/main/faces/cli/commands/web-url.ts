import { intOption, parse } from '../args';
import type { Command } from '../command';

export const webUrlCommand: Command = {
  name: 'web-url',
  summary: 'print the web face address again, token included',
  usage: `rackdeck web-url [--host ADDRESS] [--port N]

Prints the address that rackdeck serve printed, token included: the running web face's own
address when serve runs, else the one the settings give (a token is made and saved if there is
none yet). Give --host and --port as you would give them to serve.
  --port N        TCP port (default: settings.web.port, 7373)
  --host ADDRESS  address serve binds (default: settings.web.host, 127.0.0.1)`,
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = intOption(values.port, 'port', 1, 65535);
    // The token is a secret no channel carries: it is read from the home's config, which this
    // user may read (and a running engine's lock says where its web face listens).
    const [{ openConfigStore }, { processAlive, readLock }, { isDefaultLoopback, newToken }, { knownFingerprint }] = await Promise.all([
      import('../../../store/config-store'),
      import('../../../store/home-lock'),
      import('../../web/security'),
      import('../../web/tls'),
    ]);
    const store = openConfigStore(ctx.home);
    let web = store.read().settings.web;
    if (!web.token) {
      const token = newToken();
      web = store.update((doc) => ({ ...doc, settings: { ...doc.settings, web: { ...doc.settings.web, token: doc.settings.web.token ?? token } } })).settings.web;
    }
    const owner = readLock(ctx.home);
    const running = owner?.url && processAlive(owner.pid) && values.host === undefined && port === undefined ? owner.url : undefined;
    const host = values.host ?? web.host;
    const hostForUrl = host.includes(':') ? `[${host}]` : host;
    const url = running ?? `${isDefaultLoopback(host) ? 'http' : 'https'}://${hostForUrl}:${port ?? web.port}/`;
    ctx.io.out(`${url}#token=${web.token ?? ''}`);
    if (url.startsWith('https:')) {
      const fingerprint = knownFingerprint(ctx.home, web.tls);
      ctx.io.out(fingerprint ? `Certificate SHA-256 fingerprint: ${fingerprint}` : 'The certificate is made at the first rackdeck serve on that address; it prints its fingerprint.');
    }
    return 0;
  },
};
