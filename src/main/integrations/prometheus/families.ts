import type { AlertView } from '../../../shared/contract/monitoring';
import type { MetricSample } from '../../../shared/metrics';
import { POWER_STATES } from '../../../shared/power';
import type { ServerView } from '../../../shared/server';
import type { LoopStats } from '../../base/loop';

/**
 * What /metrics says, as a pure function of what the engine knows at scrape time: the metric
 * families Rackdeck exports and their samples. text-format.ts writes them out, io/exposition.ts
 * adds the process's own figures; a test can check the figures without a socket.
 */
export interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
}

export interface FamilySample {
  labels: Record<string, string>;
  value: number;
}

/** Everything a scrape reads, gathered by the exporter. */
export interface ExportSnapshot {
  now: number;
  version: string;
  startedAt: number;
  servers: readonly ServerView[];
  /** The newest metrics sample of each server. */
  latest: ReadonlyMap<string, MetricSample>;
  alerts: readonly AlertView[];
  loops: readonly LoopStats[];
  remote?: { sent: number; pending: number; dropped: number; bufferBytes: number };
  mqtt?: { connected: boolean; commands: number };
}

const SERVER = ['server_id', 'server'] as const;
const GUEST = ['server_id', 'server', 'cluster', 'node', 'vmid', 'type'] as const;

const g = (name: string, help: string, labelNames: readonly string[] = SERVER): Family => ({ name, help, type: 'gauge', labelNames });
const c = (name: string, help: string, labelNames: readonly string[] = []): Family => ({ name, help, type: 'counter', labelNames });

export const FAMILIES = {
  info: g('rackdeck_info', 'This Rackdeck: its version.', ['version']),
  startTime: g('rackdeck_start_time_seconds', 'When this Rackdeck started, Unix seconds.', []),
  serverInfo: g('rackdeck_server_info', 'Every server Rackdeck watches; always 1.', ['server_id', 'server', 'kind', 'address', 'parent_id']),
  powerState: g('rackdeck_server_power_state', 'The power state: 1 for the state the server is in, 0 for the others.', ['server_id', 'server', 'state']),
  desiredState: g('rackdeck_server_desired_state', 'The state the reconcile loop keeps the server in: 1 for it, absent when none.', ['server_id', 'server', 'state']),
  up: g('rackdeck_server_up', '1 when the server runs (on, or on with a failed init), else 0.'),
  since: g('rackdeck_server_state_since_timestamp_seconds', 'When the power state last changed, Unix seconds.'),
  lastSeen: g('rackdeck_server_last_seen_timestamp_seconds', 'When a probe last got an answer, Unix seconds.'),
  uptime: g('rackdeck_server_uptime_seconds', 'How long the server has been running (Proxmox uptime for guests and nodes; else since Rackdeck saw it come up).'),
  cpu: g('rackdeck_server_cpu_percent', 'CPU busy share over the last metrics interval, 0–100.'),
  memUsed: g('rackdeck_server_memory_used_bytes', 'Memory in use.'),
  memTotal: g('rackdeck_server_memory_total_bytes', 'Memory installed.'),
  diskUsed: g('rackdeck_server_disk_used_bytes', 'Root file system in use.'),
  diskTotal: g('rackdeck_server_disk_total_bytes', 'Root file system size.'),
  netIn: g('rackdeck_server_network_receive_bytes_per_second', 'Bytes received per second over the last metrics interval (loopback excluded).'),
  netOut: g('rackdeck_server_network_transmit_bytes_per_second', 'Bytes sent per second over the last metrics interval (loopback excluded).'),
  load1: g('rackdeck_server_load1', 'The 1-minute load average.'),
  sampleAt: g('rackdeck_server_metrics_timestamp_seconds', 'When the figures above were taken, Unix seconds.'),
  alert: g('rackdeck_alert_active', 'An active alert: 1 while it lasts, 2 once acknowledged.', ['alert_id', 'rule', 'kind', 'severity', 'server_id', 'server']),
  alertsActive: g('rackdeck_alerts_active', 'How many alerts are active, by severity.', ['severity']),
  guestStatus: g('rackdeck_proxmox_guest_status', 'A Proxmox guest\'s status as its cluster reports it: 1 for that status.', [...GUEST, 'status']),
  guestCpu: g('rackdeck_proxmox_guest_cpu_ratio', 'A Proxmox guest\'s CPU use as its cluster reports it, 0–1 of its cores.', GUEST),
  guestCores: g('rackdeck_proxmox_guest_cpus', 'A Proxmox guest\'s virtual CPUs.', GUEST),
  guestMem: g('rackdeck_proxmox_guest_memory_used_bytes', 'A Proxmox guest\'s memory in use as its cluster reports it.', GUEST),
  guestMaxMem: g('rackdeck_proxmox_guest_memory_total_bytes', 'A Proxmox guest\'s memory size.', GUEST),
  guestUptime: g('rackdeck_proxmox_guest_uptime_seconds', 'A Proxmox guest\'s uptime as its cluster reports it.', GUEST),
  loopSeconds: g('rackdeck_loop_last_duration_seconds', 'How long the last iteration of each of Rackdeck\'s loops took.', ['loop']),
  loopRuns: c('rackdeck_loop_iterations_total', 'Iterations of each loop since start.', ['loop']),
  loopFailures: c('rackdeck_loop_failures_total', 'Iterations of each loop that failed.', ['loop']),
  loopTotal: c('rackdeck_loop_duration_seconds_total', 'Time spent in each loop since start.', ['loop']),
  remoteSent: c('rackdeck_remote_write_samples_sent_total', 'Samples the remote store accepted.'),
  remotePending: g('rackdeck_remote_write_samples_pending', 'Samples waiting to be written (memory and disk).', []),
  remoteDropped: c('rackdeck_remote_write_samples_dropped_total', 'Samples given up (disk buffer full, or refused by the store).'),
  remoteBuffer: g('rackdeck_remote_write_buffer_bytes', 'Bytes kept on disk while the remote store is down.', []),
  mqttConnected: g('rackdeck_mqtt_connected', '1 while connected to the MQTT broker.', []),
  mqttCommands: c('rackdeck_mqtt_commands_total', 'Commands received over MQTT.'),
} satisfies Record<string, Family>;

export type FamilyKey = keyof typeof FAMILIES;
export type Collected = Map<FamilyKey, FamilySample[]>;

const seconds = (ms: number) => ms / 1000;
const UP = new Set(['on', 'init_failed']);

const SAMPLE_FIELDS = ['cpu', 'memUsed', 'memTotal', 'diskUsed', 'diskTotal', 'netIn', 'netOut', 'load1'] as const;

/** Every family's samples for one scrape. A family with nothing to say is simply empty. */
export function collect(s: ExportSnapshot): Collected {
  const out: Collected = new Map((Object.keys(FAMILIES) as FamilyKey[]).map((k) => [k, []]));
  const add = (key: FamilyKey, labels: Record<string, string>, value: number) => {
    if (Number.isFinite(value)) out.get(key)?.push({ labels, value });
  };
  add('info', { version: s.version }, 1);
  add('startTime', {}, seconds(s.startedAt));
  for (const v of s.servers) {
    const id = { server_id: v.id, server: v.name };
    add('serverInfo', { ...id, kind: v.kind, address: v.address, parent_id: v.parentId ?? '' }, 1);
    for (const state of POWER_STATES) add('powerState', { ...id, state }, v.power === state ? 1 : 0);
    if (v.desired) add('desiredState', { ...id, state: v.desired }, 1);
    add('up', id, UP.has(v.power) ? 1 : 0);
    add('since', id, seconds(v.since));
    if (v.lastSeen !== undefined) add('lastSeen', id, seconds(v.lastSeen));
    const uptime = v.proxmox?.uptime ?? (UP.has(v.power) ? seconds(s.now - v.since) : undefined);
    if (uptime !== undefined && UP.has(v.power)) add('uptime', id, uptime);
    const sample = s.latest.get(v.id);
    if (sample) {
      for (const field of SAMPLE_FIELDS) {
        const value = sample[field];
        if (value !== undefined) add(field, id, value);
      }
      add('sampleAt', id, seconds(sample.t));
    }
    const p = v.proxmox;
    if (p?.type && p.vmid !== undefined) {
      const guest = { ...id, cluster: p.cluster, node: p.node, vmid: String(p.vmid), type: p.type };
      if (p.status) add('guestStatus', { ...guest, status: p.status }, 1);
      if (p.cpu !== undefined) add('guestCpu', guest, p.cpu);
      if (p.maxcpu !== undefined) add('guestCores', guest, p.maxcpu);
      if (p.mem !== undefined) add('guestMem', guest, p.mem);
      if (p.maxmem !== undefined) add('guestMaxMem', guest, p.maxmem);
      if (p.uptime !== undefined) add('guestUptime', guest, p.uptime);
    }
  }
  const bySeverity = new Map<string, number>([
    ['warning', 0],
    ['error', 0],
  ]);
  for (const a of s.alerts) {
    if (a.state !== 'active') continue;
    bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1);
    add('alert', { alert_id: a.id, rule: a.ruleName, kind: a.kind, severity: a.severity, server_id: a.serverId ?? '', server: a.serverName ?? a.subject }, a.acknowledgedAt !== undefined ? 2 : 1);
  }
  for (const [severity, n] of bySeverity) add('alertsActive', { severity }, n);
  for (const loop of s.loops) {
    const l = { loop: loop.name };
    add('loopSeconds', l, loop.lastMs / 1000);
    add('loopRuns', l, loop.runs);
    add('loopFailures', l, loop.failures);
    add('loopTotal', l, loop.totalMs / 1000);
  }
  if (s.remote) {
    add('remoteSent', {}, s.remote.sent);
    add('remotePending', {}, s.remote.pending);
    add('remoteDropped', {}, s.remote.dropped);
    add('remoteBuffer', {}, s.remote.bufferBytes);
  }
  if (s.mqtt) {
    add('mqttConnected', {}, s.mqtt.connected ? 1 : 0);
    add('mqttCommands', {}, s.mqtt.commands);
  }
  return out;
}
