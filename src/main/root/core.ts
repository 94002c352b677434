import path from 'node:path';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { probeHost, type Prober } from '../drivers/probe';
import { linuxSynRetriesMs } from '../drivers/syn-schedule';
import { proxmoxClients } from '../drivers/proxmox/clients';
import { runLocal, scanHostKey, SshPool, sshTargetFor, type LocalRunner } from '../drivers/ssh';
import { sendWol, type WolSender } from '../drivers/wol';
import { Engine } from '../inventory/engine';
import { maintenanceFor } from '../monitoring/alerts/maintenance';
import { DEFAULT_COMMAND_TIMEOUT_MS, PowerController, type PowerSsh, type PowerTuning } from '../power/controller';
import { clusterSecretsStore } from '../proxmox/io/cluster-secrets';
import { ProxmoxService, type ProxmoxServiceOptions } from '../proxmox/service';
import type { ConfigStore } from '../store/config-store';
import { KnownHostsStore } from '../store/known-hosts';
import { InitFactsStore } from '../store/init-facts';
import { lazyKeyFileEncryptor, SecretsStore, type Encryptor } from '../store/secrets';

/** Fakes and timings a test (or the demo) brings; everything not given is the real thing. */
export interface CoreOptions {
  /** The data folder: config.json, secrets.json and secret.key, known-hosts.json live there (the store's folder by default). */
  home?: string;
  store: ConfigStore;
  clock: Clock;
  log: Logger;
  probe: Prober;
  /** When the OS resends an unanswered SYN; by default Linux's with the real prober, none with a fake. */
  synRetriesMs?: readonly number[];
  power?: PowerTuning & { ssh?: PowerSsh; wol?: WolSender; runLocal?: LocalRunner; userHome?: string };
  proxmox?: Partial<Omit<ProxmoxServiceOptions, 'engine'>>;
}

/** The engine and the two capabilities every other one is built on. */
export interface Core {
  engine: Engine;
  power: PowerController;
  proxmox: ProxmoxService;
  /** The one encryptor of the home: the 0600 key file, created when a secret is first stored or read. */
  encryptor: Encryptor;
  home: string;
}

/**
 * Builds the engine, power control and Proxmox, and wires them to each other through the
 * engine's ports. The drivers are made here and nowhere else; SSH and the secrets store open on
 * first use, so a damaged pin or secrets file fails the command that needs it, not the start.
 */
export function composeCore(options: CoreOptions): Core {
  const { clock, log } = options;
  const home = options.home ?? path.dirname(options.store.path);
  // The watch holds a silent host's connect open only where the kernel's SYN schedule is known.
  const synRetriesMs = options.synRetriesMs ?? (options.probe === probeHost && process.platform === 'linux' ? linuxSynRetriesMs() : []);
  const engine = new Engine({ store: options.store, clock, log, probe: options.probe, synRetriesMs });
  const encryptor = lazyKeyFileEncryptor(home);
  const { ssh, wol, runLocal: local, userHome, ...tuning } = options.power ?? {};
  // One pin store for the pool and the hostKeys channels, opened on first use (a damaged file fails SSH, not the start).
  let knownHosts: KnownHostsStore | undefined;
  const pins = () => (knownHosts ??= new KnownHostsStore(home));
  const power: PowerController = new PowerController(engine.powerHost(), {
    ...tuning,
    openSsh: () =>
      ssh ??
      new SshPool({
        knownHosts: pins(),
        clock,
        commandTimeoutMs: tuning.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        onHostKeyMismatch: (m) => power.hostKeyMismatch(m),
        onPinned: (endpoint, key) => power.hostKeyPinned(endpoint, key),
      }),
    initFacts: new InitFactsStore(home),
    hostKeys: {
      scan: (host, port) => scanHostKey(host, port),
      pinned: (endpoint) => pins().get(endpoint),
      pin: (endpoint, key) => pins().pin(endpoint, { ...key, addedAt: clock.now() }, { replace: true }),
    },
    openSecrets: () => new SecretsStore(home, encryptor),
    wol: wol ?? sendWol,
    runLocal: local ?? runLocal,
    localCommandsAllowed: () => engine.settings.power.allowLocalCommands,
    sshTarget: (server, secrets) => sshTargetFor(server, secrets, userHome),
  });
  engine.onObserved((id, prev, next) => power.observed(id, prev, next));
  engine.onForget((id) => power.forget(id));
  engine.addViewExtra((server, runtime) => power.viewExtras(server, runtime));
  engine.attach(power);

  const proxmox = new ProxmoxService({
    // settings.proxmox of the config document (backup age threshold, backup scan interval).
    settings: { read: () => engine.settings.proxmox, write: (next) => void engine.updateSettings({ proxmox: next }) },
    ...options.proxmox,
    engine: engine.proxmoxPort(power),
    secrets: options.proxmox?.secrets ?? clusterSecretsStore(home, encryptor),
    clients: options.proxmox?.clients ?? proxmoxClients(clock),
  });
  engine.attach(proxmox);
  // What Proxmox tasks and refreshes tell, every face hears as engine events.
  proxmox.onTask((task) => engine.events.emit('proxmox.task', task));
  proxmox.onChanges((changes) => engine.events.emit('proxmox.changes', changes));
  // Guests' generic power actions (card buttons, reconcile, tray) go through their cluster's API.
  power.attachGuests(proxmox);
  // The card says "in maintenance until …", read from the settings when it is drawn. Here and not
  // in the monitoring, so that a composition without it (the core alone, root/stepped.ts)
  // shows the same cards.
  engine.addViewExtra((server) => {
    const windows = engine.settings.monitoring.alerts.maintenance;
    const until = windows.length === 0 ? undefined : maintenanceFor(windows, server, clock.now())?.until;
    return until !== undefined ? { maintenanceUntil: until } : undefined;
  });
  return { engine, power, proxmox, encryptor, home };
}
