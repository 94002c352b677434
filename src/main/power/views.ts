import { isTransitional } from '../../shared/power';
import type { PowerCapabilities, ServerConfig, ServerView } from '../../shared/server';
import { endpointOf } from '../drivers/ssh/model';
import type { RuntimeState } from '../inventory/status';
import { capabilitiesIn } from './capabilities';
import { parentOf } from './family';
import type { PowerHost } from './ports';
import type { ServerAccess } from './server-access';
import type { PowerBook } from './state';

/** What the card shows of power: capabilities, the transition and its step, the last error, a refused host key, init's findings, which secrets are set. */
export class PowerViews {
  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly access: ServerAccess,
    /** Whether the Proxmox capability drives guests (else they are plain servers). */
    private readonly guestsAttached: () => boolean,
  ) {}

  capabilities(server: ServerConfig): PowerCapabilities {
    const servers = this.host.servers();
    return capabilitiesIn(server, { guests: this.guestsAttached(), parentOf: (s) => parentOf(servers, s), system: (id) => this.book.peek(id)?.system });
  }

  viewExtras(server: ServerConfig, rt: RuntimeState): Partial<ServerView> {
    const extras: Partial<ServerView> = { capabilities: this.capabilities(server) };
    if (server.wol) extras.wol = server.wol;
    if (server.powerControl) extras.powerControl = server.powerControl;
    if (server.desired) extras.desired = server.desired;
    const t = rt.transition;
    if (t && isTransitional(rt.power)) extras.transition = { action: t.action, target: t.target, startedAt: t.startedAt, deadline: t.deadline, ...(t.step ? { step: t.step } : {}) };
    const record = this.book.peek(server.id);
    const error = record?.error;
    if (error) extras.lastError = { message: error.message, at: error.at, ...(error.action ? { action: error.action } : {}), ...(error.hint ? { hint: error.hint } : {}) };
    if (server.ssh) {
      const m = this.book.mismatches.get(endpointOf(server.address, server.ssh.port));
      if (m) extras.hostKey = { endpoint: m.endpoint, keyType: m.keyType, expected: m.expected, presented: m.presented, at: m.at };
    }
    const info = record?.system;
    const init = record?.init;
    if (info || init) {
      extras.system = {
        ...(info ?? { systemType: 'unknown', hibernate: false, interfaces: [] }),
        initFailures: init?.failures ?? 0,
        ...(init?.initialisedAt !== undefined ? { initialisedAt: init.initialisedAt } : {}),
        ...(init?.nextAt !== undefined ? { nextInitAt: init.nextAt } : {}),
      };
    }
    // An unreadable secrets file is reported when a secret is needed, not on every view.
    const secretsSet = this.access.secretsSet(server.id);
    if (secretsSet) extras.secretsSet = secretsSet;
    return extras;
  }
}
