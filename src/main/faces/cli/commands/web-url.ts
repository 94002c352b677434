import { intOption, parse } from '../args';
import type { Command } from '../command';
import { isDefaultLoopback, newToken } from '../../web/security';
import { knownFingerprint } from '../../web/tls';

export const webUrlCommand: Command = {
  name: 'web-url',
  summary: 'print the web face address again, token included',
  usage: `rackdeck web-url [--host ADDRESS] [--port N]

Prints the address that rackdeck serve printed, token included, from the settings (a token is
made and saved if there is none yet). Give --host and --port as you gave them to serve.
  --port N        TCP port (default: settings.web.port, 7373)
  --host ADDRESS  address serve binds (default: settings.web.host, 127.0.0.1)`,
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = intOption(values.port, 'port', 1, 65535);
    const { app } = ctx.open();
    const web = app.engine.settings.web;
    const token = web.token ?? app.engine.updateSettings({ web: { ...web, token: newToken() } }).web.token;
    const host = values.host ?? web.host;
    const secure = !isDefaultLoopback(host);
    const hostForUrl = host.includes(':') ? `[${host}]` : host;
    ctx.io.out(`${secure ? 'https' : 'http'}://${hostForUrl}:${port ?? web.port}/#token=${token ?? ''}`);
    if (secure) {
      const fingerprint = knownFingerprint(app.info.home, web.tls);
      ctx.io.out(fingerprint ? `Certificate SHA-256 fingerprint: ${fingerprint}` : 'The certificate is made at the first rackdeck serve on that address; it prints its fingerprint.');
    }
    return 0;
  },
};
