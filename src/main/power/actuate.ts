import type { CustomCommand, PowerAction, ServerConfig } from '../../shared/server';
import { localArgv, runSshPower, validatedPlaceholders, type LocalRunner, type SshTarget } from '../drivers/ssh/model';
import { wakeServer, type WolSender } from '../drivers/wol/model';
import { capabilitiesOf } from './capabilities';
import { parentOf } from './family';
import { PowerCommandError } from './failures';
import { LOCAL_COMMANDS_OFF } from './local-commands';
import type { Parents } from './parents';
import type { PowerHost } from './ports';
import type { ServerAccess } from './server-access';
import type { PowerBook } from './state';
import type { Transitions } from './transitions';

/**
 * Host actuation: sends a host's command the way its settings say (Wake-on-LAN, the SSH power
 * commands, or the admin's custom command, locally or over SSH), its parents woken first.
 * Sending is all it does; the transition's polling decides whether the host got there.
 */
export class HostActuation {
  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly access: ServerAccess,
    private readonly transitions: Transitions,
    private readonly parents: Parents,
    private readonly drivers: { wol: WolSender; runLocal: LocalRunner; localCommandsAllowed?: (() => boolean) | undefined },
    private readonly commandTimeoutMs: number,
  ) {}

  async run(server: ServerConfig, action: PowerAction): Promise<void> {
    const custom = server.powerControl?.customCommands?.[action];
    const step = (text: string, budgetFrom?: number) => this.transitions.setStep(server, action, text, budgetFrom);
    if (action === 'wake') {
      const waited = await this.parents.wakeAncestors(server);
      const now = waited ? this.host.clock.now() : undefined;
      // A Proxmox node without a MAC of its own is the machine under it: waking that host was the wake.
      if (!custom && !capabilitiesOf(server, this.book.peek(server.id)?.system).wake) {
        step('waiting for it to answer', now);
        return;
      }
      if (!step(custom ? 'running the wake command' : 'sending the magic packet', now)) return;
      if (custom) await this.runCustom(server, action, custom, true);
      else await wakeServer(server, (sid) => this.access.secrets.get(sid, 'wol.password'), this.drivers.wol);
      step('waiting for it to answer');
      return;
    }
    // Cancelled before it was sent (the transition is gone): nothing is sent.
    if (!step(`sending the ${action} command`)) return;
    if (custom) await this.runCustom(server, action, custom, false);
    else {
      const target = this.access.targetFor(server);
      if (action === 'hibernate') await this.checkHibernate(server, target);
      const result = await runSshPower(this.access.ssh, target, action, { useSudo: server.powerControl?.useSudo ?? false, timeoutMs: this.commandTimeoutMs });
      this.access.sshWorked(server);
      if (!result.ok) throw new PowerCommandError(result.message, result.hint);
    }
    step(action === 'reboot' ? 'waiting for it to go down and come back' : 'waiting for it to go down');
  }

  private async runCustom(server: ServerConfig, action: PowerAction, command: CustomCommand, isWake: boolean): Promise<void> {
    const values = validatedPlaceholders(server);
    if (command.runOn === 'local') {
      // Checked again at the moment of running: the admin may have turned it off since the click.
      if (!(this.drivers.localCommandsAllowed?.() ?? false)) throw new PowerCommandError(`${LOCAL_COMMANDS_OFF}.`, 'Local commands run a program on the Rackdeck machine itself; they are off until the admin turns them on.');
      const result = await this.drivers.runLocal(localArgv(command, values), this.commandTimeoutMs);
      if (result.code !== 0) {
        throw new PowerCommandError(`the ${action} command exited ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n')[0]}` : ''}`, 'Run it by hand to see why.');
      }
      return;
    }
    // Over SSH: a wake command runs on the parent (the server itself is asleep).
    const runOn = isWake ? parentOf(this.host.servers(), server) : server;
    if (!runOn) throw new PowerCommandError(`the wake command runs over SSH on the parent, and ${server.name} has none`, 'Set a parent, or run the command locally.');
    const result = await runSshPower(this.access.ssh, this.access.targetFor(runOn), action, { useSudo: false, timeoutMs: this.commandTimeoutMs, custom: { command, values } });
    this.access.sshWorked(runOn);
    if (!result.ok) throw new PowerCommandError(result.message, 'Run it by hand over SSH to see why.');
  }

  /** Hibernation the kernel forbids is refused before the command, with what to do instead. */
  private async checkHibernate(server: ServerConfig, target: SshTarget): Promise<void> {
    if (this.book.peek(server.id)?.system?.hibernate) return;
    const r = await this.access.ssh.exec(target, 'cat /sys/power/disk', { timeoutMs: this.commandTimeoutMs });
    const text = r.code === 0 ? r.stdout : '';
    if (!text.trim() || /\[disabled\]/.test(text)) {
      throw new PowerCommandError(`${server.name} cannot hibernate (/sys/power/disk: ${text.trim() || 'absent'})`, 'Hibernation needs swap at least as large as RAM and a resume= kernel parameter; use suspend instead.');
    }
  }
}
