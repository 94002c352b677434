import type { MqttSettings, MqttStatus } from '../../../shared/contract/integrations';
import type { ServersPatch } from '../../../shared/events';
import type { MetricSample } from '../../../shared/metrics';
import type { DesiredPower, PowerAction, ServerView } from '../../../shared/server';
import type { Logger } from '../../base/logger';
import type { ConnectMqtt, MqttLink } from '../ports';
import { parseCommandTopic, planCommand, type CommandPlan } from './commands';
import { commandWildcard, configsFor, configWildcard, retainedTopicsOf, serverOfConfigTopic, statesOf, statusTopic, stateTopic, type DiscoveryOptions } from './discovery';

/** What the bridge reads of the engine and asks of power control. */
export interface BridgeDeps {
  servers(): readonly ServerView[];
  view(id: string): ServerView | undefined;
  /** Starts a power action (throws the refusal a face would show). */
  run(id: string, action: PowerAction): void;
  setDesired(id: string, desired: DesiredPower | null): void;
  connect: ConnectMqtt;
  log: Logger;
  now(): number;
  version: string;
}

/**
 * Home Assistant over MQTT: publishes every server as a device through MQTT discovery (retained
 * configs), keeps its state topics current from the engine's patches and the metrics samples,
 * and carries out what Home Assistant sends on the command topics. Rackdeck's own availability
 * is `<base>/status`: `online` once connected, `offline` at a clean stop, and the broker's last
 * will says `offline` when the process dies. A removed server's retained topics are emptied,
 * also those an earlier run left for a server removed while Rackdeck was not connected.
 */
export class MqttBridge {
  private link: MqttLink | undefined;
  private readonly opts: DiscoveryOptions;
  /** Topic → the retained payload last sent in this connection: only changes go out. */
  private readonly sent = new Map<string, string>();
  private readonly latest = new Map<string, MetricSample>();
  private readonly status: MqttStatus;

  constructor(
    private readonly deps: BridgeDeps,
    private readonly settings: MqttSettings,
    private readonly password: string | undefined,
  ) {
    this.opts = { discoveryPrefix: settings.discoveryPrefix, baseTopic: settings.baseTopic, version: deps.version };
    this.status = { enabled: true, state: 'off', ...(settings.url ? { broker: settings.url } : {}), devices: 0, commands: 0 };
  }

  start(): void {
    const { url } = this.settings;
    if (!url) {
      this.status.error = 'No broker URL is set.';
      return;
    }
    this.status.state = 'connecting';
    this.link = this.deps.connect(
      {
        url,
        clientId: this.settings.clientId ?? `rackdeck-${this.opts.baseTopic.replace(/\//g, '-')}`.slice(0, 64),
        username: this.settings.username,
        password: this.password,
        verify: this.settings.tls.verify,
        caFile: this.settings.tls.caFile,
        will: { topic: statusTopic(this.opts), payload: 'offline' },
        reconnect: true,
      },
      {
        connected: () => this.connected(),
        disconnected: (reason) => {
          this.status.state = 'disconnected';
          this.status.error = reason;
        },
        message: (topic, payload, retained) => this.message(topic, payload, retained),
      },
    );
  }

  /** Says `offline` (retained) and disconnects. */
  async stop(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    if (!link) return;
    if (this.status.state === 'connected') link.publish(statusTopic(this.opts), 'offline', true);
    this.status.state = 'off';
    await link.end();
  }

  view(): MqttStatus {
    return { ...this.status, devices: this.status.state === 'connected' ? this.deps.servers().length : 0 };
  }

  serversChanged(patch: ServersPatch): void {
    if (this.status.state !== 'connected') return;
    for (const v of patch.upsert) this.publishServer(v);
    for (const id of patch.remove) this.clear(id);
  }

  sample(serverId: string, sample: MetricSample): void {
    this.latest.set(serverId, sample);
    const v = this.deps.view(serverId);
    if (v && this.status.state === 'connected') this.publishStates(v);
  }

  forget(serverId: string): void {
    this.latest.delete(serverId);
  }

  private connected(): void {
    const link = this.link;
    if (!link) return;
    this.status.state = 'connected';
    this.status.connectedAt = this.deps.now();
    delete this.status.error;
    // A new session: the broker may have lost what it kept, so everything goes out again.
    this.sent.clear();
    link.publish(statusTopic(this.opts), 'online', true);
    link.subscribe([commandWildcard(this.opts), configWildcard(this.opts), `${this.opts.discoveryPrefix}/status`]);
    for (const v of this.deps.servers()) this.publishServer(v);
  }

  private publishServer(v: ServerView): void {
    for (const c of configsFor(v, this.opts)) this.publish(c.topic, c.payload);
    this.publishStates(v);
  }

  private publishStates(v: ServerView): void {
    for (const [key, value] of Object.entries(statesOf(v, this.latest.get(v.id)))) this.publish(stateTopic(this.opts, v.id, key), value);
  }

  /** Empties every retained topic of a server, so Home Assistant drops the device. */
  private clear(serverId: string): void {
    this.latest.delete(serverId);
    for (const topic of retainedTopicsOf(serverId, this.opts)) {
      this.sent.delete(topic);
      this.link?.publish(topic, '', true);
    }
  }

  private publish(topic: string, payload: string): void {
    if (this.sent.get(topic) === payload) return;
    this.sent.set(topic, payload);
    this.link?.publish(topic, payload, true);
  }

  private message(topic: string, payload: string, retained: boolean): void {
    if (topic === `${this.opts.discoveryPrefix}/status`) {
      // Home Assistant restarted: it asks every device to announce itself again.
      if (payload === 'online' && this.status.state === 'connected') {
        this.sent.clear();
        for (const v of this.deps.servers()) this.publishServer(v);
      }
      return;
    }
    const owner = serverOfConfigTopic(topic, this.opts);
    if (owner !== undefined) {
      // A config an earlier run left for a server that is gone: remove the device.
      if (payload !== '' && !this.deps.view(owner)) this.clear(owner);
      return;
    }
    const target = parseCommandTopic(topic, this.opts.baseTopic);
    // A retained command would run again at every reconnect: only live ones count.
    if (!target || retained) return;
    this.execute(planCommand({ ...target, payload, server: this.deps.view(target.serverId), offAction: this.settings.offAction }), target.key, payload);
  }

  private execute(plan: CommandPlan, key: string, payload: string): void {
    this.status.commands++;
    const serverId = plan.serverId ?? '?';
    const command = `${key} ${payload.trim().slice(0, 40)}`;
    let ok = true;
    let detail: string;
    try {
      if (plan.kind === 'power') {
        this.deps.run(plan.serverId, plan.action);
        detail = `${plan.action} started`;
      } else if (plan.kind === 'desired') {
        this.deps.setDesired(plan.serverId, plan.desired);
        detail = `desired state ${plan.desired ?? 'none'}`;
      } else if (plan.kind === 'none') detail = plan.reason;
      else {
        ok = false;
        detail = plan.reason;
      }
    } catch (error) {
      ok = false;
      detail = error instanceof Error ? error.message : String(error);
    }
    this.status.lastCommand = { at: this.deps.now(), serverId, command, ok, detail };
    if (ok) this.deps.log.info(`mqtt: ${serverId}: ${command}: ${detail}`);
    else this.deps.log.warn(`mqtt: ${serverId}: ${command} refused: ${detail}`);
    // The refusal leaves the switch as it was: say so, or Home Assistant shows what it asked for.
    const v = this.deps.view(serverId);
    if (v) {
      this.sent.delete(stateTopic(this.opts, v.id, key));
      this.publishStates(v);
    }
  }
}
