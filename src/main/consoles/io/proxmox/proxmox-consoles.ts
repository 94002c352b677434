import type { Clock } from '../../../base/clock';
import type { StatsReader, TerminalSize } from '../../backend';
import type { ProxmoxConsoles, ProxmoxConsoleTarget } from '../../ports';
import type { ConsoleSource } from '../../source';
import { ProxmoxStatsReader } from '../stats/readers';
import { openConsoleSocket, requestConsole } from './access';
import { TermproxySource } from './termproxy-source';
import { VncRelaySource } from './vnc-source';

export interface ProxmoxConsolesOptions {
  clock: Clock;
  /** Termproxy keep-alive interval (default: Proxmox's own 30 s). */
  termKeepaliveMs?: number;
}

/** The ProxmoxConsoles port over the vncwebsocket (ticket session, pinned certificate) and the API. */
export class ProxmoxConsoleAdapter implements ProxmoxConsoles {
  constructor(private readonly options: ProxmoxConsolesOptions) {}

  async openTerm(target: ProxmoxConsoleTarget, options: { size: TerminalSize; what: string }): Promise<ConsoleSource> {
    const grant = await requestConsole(target, 'term');
    const ws = await openConsoleSocket(target, grant);
    const keepalive = this.options.termKeepaliveMs ? { keepaliveMs: this.options.termKeepaliveMs } : {};
    return new TermproxySource(ws, grant, { clock: this.options.clock, size: options.size, what: options.what, ...keepalive });
  }

  async openVnc(target: ProxmoxConsoleTarget, what: string): Promise<ConsoleSource> {
    const grant = await requestConsole(target, 'vnc');
    const ws = await openConsoleSocket(target, grant);
    // With websocket=1, Proxmox's VNC server takes the vncticket as its password.
    return new VncRelaySource(ws, grant.password ?? grant.ticket, what);
  }

  statsReader(target: () => Promise<ProxmoxConsoleTarget>, release: () => void): StatsReader {
    return new ProxmoxStatsReader(target, this.options.clock, release);
  }
}
