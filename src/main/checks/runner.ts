import { parseResolver, type CheckDef, type CheckOf } from '../../shared/contract/checks';
import { isGap } from '../../shared/metrics';
import { isProxmoxError } from '../drivers/proxmox/model/errors';
import type { ServerView } from '../../shared/server';
import { daysUntilFull, judgeDisk } from './model/forecast';
import { judgeFailedUnits, judgeReboot, judgeTemperatures, judgeUpgrades, parseDf, parseFailedUnits, parseSensors, parseUpgradable, REBOOT_COMMAND } from './model/host-reports';
import { judgeDns, judgeHttp } from './model/network';
import { judgeBackups, judgeStorage } from './model/proxmox';
import { judgeRepos } from './model/repos';
import { judgeSmart, parseSmartScan } from './model/smart';
import { worst, type Outcome } from './model/state';
import type { ChecksPeers, ChecksPorts } from './ports';

/** What one run is given: the server as the engine sees it, every server (for a node's guests), the time. */
export interface RunInput {
  server: ServerView;
  all: () => readonly ServerView[];
  now: number;
  signal: AbortSignal;
}

/**
 * Runs one check once and judges what it saw: the probe or command its kind needs, through the
 * ports, then the pure judge of model/. A probe that throws is a failed run with its reason.
 */
export async function runCheck(check: CheckDef, input: RunInput, ports: ChecksPorts, peers: ChecksPeers): Promise<Outcome> {
  switch (check.kind) {
    case 'ping':
      return ping(check, input, ports);
    case 'http':
      return judgeHttp(check, await ports.http({ url: check.url, method: check.method, followRedirects: check.followRedirects, verifyTls: check.verifyTls }, input.signal), input.now);
    case 'dns':
      return dns(check, input, ports);
    case 'backup':
    case 'storage':
      return proxmox(check, input, peers);
    case 'repos':
      return repos(check, input, peers);
    default:
      return overSsh(check, input, peers);
  }
}

async function ping(check: CheckOf<'ping'>, { server, signal }: RunInput, ports: ChecksPorts): Promise<Outcome> {
  const r = await ports.ping(server.address, check.timeoutMs, signal);
  if (r.kind === 'reply') return { result: 'ok', message: `ICMP reply in ${r.rttMs} ms`, details: { method: 'icmp', ms: r.rttMs } };
  if (r.kind === 'timeout') return { result: 'fail', message: `no ICMP reply from ${server.address}`, details: { method: 'icmp' } };
  const port = check.fallbackPort ?? server.ports[0];
  if (port === undefined) return { result: 'unknown', message: `ICMP is not possible here (${r.reason}) and the server has no port to try instead` };
  const started = performance.now();
  const probe = await ports.probe(server.address, [port], check.timeoutMs);
  const ms = Math.round(performance.now() - started);
  const note = `ICMP not possible here (${r.reason}): checked TCP port ${port} instead`;
  if (probe.openPorts[String(port)]) return { result: 'ok', message: `${note}, it answered in ${ms} ms`, details: { method: 'tcp', port, ms } };
  return { result: 'fail', message: `${note}, no answer${probe.error ? ` (${probe.error})` : ''}`, details: { method: 'tcp', port } };
}

async function dns(check: CheckOf<'dns'>, { server }: RunInput, ports: ChecksPorts): Promise<Outcome> {
  const target = check.resolver ? parseResolver(check.resolver) : { address: server.address, port: 53 };
  if (!target) return { result: 'unknown', message: `"${check.resolver ?? ''}" is not a resolver address` };
  const label = target.port === 53 ? target.address : `${target.address}:${target.port}`;
  return judgeDns(check, await ports.dns({ name: check.name, type: check.recordType, server: target.address, port: target.port, timeoutMs: check.timeoutMs }), label);
}

function proxmox(check: CheckOf<'backup' | 'storage'>, { server, all, now }: RunInput, peers: ChecksPeers): Outcome {
  const px = server.proxmox;
  if (!px) return { result: 'unknown', message: 'not a Proxmox node or guest: add this check to one Rackdeck discovered from a cluster' };
  if (check.kind === 'storage') {
    if (px.type) return { result: 'unknown', message: 'storage is checked on the node, not on a guest' };
    return judgeStorage(peers.storage(px.cluster).filter((s) => s.node === px.node), check);
  }
  // A guest judges its own backup; a node every guest it runs.
  const guests = px.type ? [server] : all().filter((s) => s.proxmox?.cluster === px.cluster && s.proxmox.node === px.node && s.proxmox.type && !s.proxmox.template);
  return judgeBackups(guests.map((g) => ({ name: g.name, backup: g.proxmox?.backup })), check, now);
}

/** Read from the node now (not from discovery's catalog): the answer is two small requests every 15 min. */
async function repos(check: CheckOf<'repos'>, { server }: RunInput, peers: ChecksPeers): Promise<Outcome> {
  const px = server.proxmox;
  if (!px) return { result: 'unknown', message: 'not a Proxmox node: add this check to a node Rackdeck discovered from a cluster' };
  if (px.type) return { result: 'unknown', message: 'repositories are checked on the node, not on a guest' };
  // Unknown power is still worth asking: the API says soon enough whether the node answers.
  if (server.power !== 'on' && server.power !== 'unknown') return { result: 'unknown', message: `the node is ${server.power}: it answers for its repositories only while it runs` };
  try {
    return judgeRepos(await peers.repos(px.cluster, px.node), check);
  } catch (error) {
    if (!isProxmoxError(error)) throw error;
    if (error.kind === 'permission') return { result: 'unknown', message: `the cluster's credentials may not read the node's repositories: ${error.message} (grant Sys.Audit on /nodes/${px.node})` };
    if (error.kind === 'unreachable') return { result: 'unknown', message: `the node does not answer (offline?): ${error.message}` };
    throw error;
  }
}

/** The SSH checks: one command each, its exit and output judged. */
async function overSsh(check: Exclude<CheckDef, CheckOf<'ping' | 'http' | 'dns' | 'backup' | 'storage' | 'repos'>>, { server, now }: RunInput, peers: ChecksPeers): Promise<Outcome> {
  if (!server.ssh) return { result: 'unknown', message: 'the server has no SSH settings' };
  if (server.power !== 'on') return { result: 'unknown', message: `the server is ${server.power}` };
  const shell = await peers.shellFor(server.id);
  const sudo = server.ssh.user === 'root' ? '' : 'sudo -n ';
  const exec = (command: string) => shell.exec(command, { timeoutMs: check.timeoutMs });
  switch (check.kind) {
    case 'smart': {
      let devices = check.devices;
      if (devices.length === 0) {
        const scan = await exec(`${sudo}smartctl --scan --json`);
        if (scan.code === 127 || /command not found/.test(scan.stderr)) return { result: 'unknown', message: 'smartctl is not installed (apt install smartmontools)' };
        if (/password is required/.test(scan.stderr)) return { result: 'unknown', message: `smartctl needs root: let ${server.ssh.user} run it with sudo without a password, or connect as root` };
        devices = parseSmartScan(scan.stdout);
        if (devices.length === 0) return { result: 'unknown', message: 'smartctl found no disk' };
      }
      const outcomes: Outcome[] = [];
      for (const d of devices) {
        const r = await exec(`${sudo}smartctl -H -A --json ${d}`);
        outcomes.push(judgeSmart(d, r.stdout, r.code));
      }
      const result = worst(outcomes);
      const shown = outcomes.filter((o) => o.result === result);
      return { result, message: shown.map((o) => o.message).join('; '), details: Object.assign({}, ...outcomes.map((o) => o.details ?? {})) as Record<string, number> };
    }
    case 'temperature': {
      const r = await exec('sensors -j');
      if (r.code === 127) return { result: 'unknown', message: 'sensors is not installed (apt install lm-sensors)' };
      if (r.code !== 0) return { result: 'unknown', message: `sensors failed: ${firstLine(r.stderr)}` };
      return judgeTemperatures(parseSensors(r.stdout), check.warnC, check.failC);
    }
    case 'disk': {
      const r = await exec(`df -P -B1 ${check.mount}`);
      if (r.code !== 0) return { result: 'fail', message: `df ${check.mount}: ${firstLine(r.stderr)}` };
      const row = parseDf(r.stdout);
      let days: number | undefined;
      if (check.mount === '/') {
        const series = await peers.series(server.id, 'week').catch(() => undefined);
        const points = (series?.points ?? []).flatMap((p) => (isGap(p) || p.avg.diskUsed === undefined ? [] : [{ t: p.t, used: p.avg.diskUsed }]));
        days = daysUntilFull(points, row.used + row.avail, now, row.used);
      }
      return judgeDisk(row, days, check);
    }
    case 'systemd': {
      const r = await exec('systemctl --failed --no-legend --plain --no-pager');
      if (r.code !== 0) return { result: 'unknown', message: `systemctl failed: ${firstLine(r.stderr)}` };
      return judgeFailedUnits(parseFailedUnits(r.stdout), check.ignore);
    }
    case 'reboot':
      return judgeReboot((await exec(REBOOT_COMMAND)).stdout, check.failWhenPending);
    case 'apt': {
      const r = await exec('apt list --upgradable 2>/dev/null');
      if (r.code === 127) return { result: 'unknown', message: 'apt is not on this system' };
      return judgeUpgrades(parseUpgradable(r.stdout), check.failOnSecurity);
    }
  }
}

const firstLine = (text: string) => text.trim().split('\n')[0] || 'no message';
