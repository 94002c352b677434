/**
 * Reading guests: per-node lists, config, status/current, RRD, guest-agent and container
 * interface addresses; and destroying a guest.
 */
import { agentAnswers, currentStatus, guestConfig, listEntry, volumeName } from '../guest-views';
import { failure } from '../errors';
import type { Guest, GuestNic, GuestType } from '../model';
import type { RouteContext, Router } from '../router';
import { guestRrd } from '../rrd';
import { snapshotConfig } from '../snapshots';

type Json = Record<string, unknown>;

export function guestOf(ctx: RouteContext, type: GuestType): Guest {
  return ctx.state.requireGuest(ctx.params.node ?? '', type, ctx.params.vmid ?? '');
}

function splitCidr(cidr: string): { addr: string; prefix: number } {
  const [addr = '', prefix = '24'] = cidr.split('/');
  return { addr, prefix: Number(prefix) };
}

/*
 * NETWORK RULE: every address the guest agent or a container reports is a loopback one (the
 * NIC's 127.x address, lo's 127.0.0.1 and ::1). A real guest would also report its fe80::
 * link-local address; the lab leaves it out, so nothing Rackdeck picks from an answer can ever
 * leave 127.0.0.0/8. The client's refusal of link-local addresses is tested on answers written
 * in the tests, not sent anywhere.
 */

function agentInterfaces(g: Guest): Json {
  const result: Json[] = [
    {
      name: 'lo',
      'hardware-address': '00:00:00:00:00:00',
      'ip-addresses': [
        { 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 },
        { 'ip-address': '::1', 'ip-address-type': 'ipv6', prefix: 128 },
      ],
      statistics: { 'rx-bytes': 52_224, 'rx-packets': 612, 'tx-bytes': 52_224, 'tx-packets': 612, 'rx-errs': 0, 'tx-errs': 0, 'rx-dropped': 0, 'tx-dropped': 0 },
    },
  ];
  for (const nic of g.nics) {
    const { addr, prefix } = splitCidr(nic.leased ?? nic.ip);
    result.push({
      name: nic.ifname,
      'hardware-address': nic.mac.toLowerCase(),
      'ip-addresses': [{ 'ip-address': addr, 'ip-address-type': 'ipv4', prefix }],
      statistics: { 'rx-bytes': 8_123_456, 'rx-packets': 40_211, 'tx-bytes': 2_345_678, 'tx-packets': 20_511, 'rx-errs': 0, 'tx-errs': 0, 'rx-dropped': 0, 'tx-dropped': 0 },
    });
  }
  return { result };
}

function lxcInterface(nic: GuestNic): Json {
  const { addr, prefix } = splitCidr(nic.leased ?? nic.ip);
  const hw = nic.mac.toLowerCase();
  return {
    name: nic.ifname,
    hwaddr: hw,
    'hardware-address': hw,
    inet: `${addr}/${prefix}`,
    'ip-addresses': [{ 'ip-address': addr, 'ip-address-type': 'inet', prefix }],
  };
}

function registerType(router: Router, type: GuestType): void {
  const base = `/nodes/{node}/${type}`;
  router.add(`GET ${base}`, ({ state, params, principal }) => {
    const t = state.clock.now();
    if (!principal.privileges.has('VM.Audit')) return [];
    return state
      .guestsOn(params.node ?? '')
      .filter((g) => g.type === type)
      .sort((a, b) => a.vmid - b.vmid)
      .map((g) => listEntry(state, g, t, params.full === '1'));
  });

  router.add(`GET ${base}/{vmid}`, (ctx) => {
    guestOf(ctx, type);
    const common = ['config', 'pending', 'status', 'snapshot', 'rrd', 'rrddata', 'firewall', 'termproxy', 'vncproxy', 'vncwebsocket', 'migrate'];
    const extra = type === 'qemu' ? ['agent', 'sendkey', 'spiceproxy', 'monitor', 'unlink'] : ['interfaces', 'spiceproxy'];
    return [...common, ...extra].map((subdir) => ({ subdir }));
  });

  router.add(`GET ${base}/{vmid}/config`, (ctx) => {
    const g = guestOf(ctx, type);
    if (ctx.params.snapshot !== undefined) return snapshotConfig(ctx.state, g, ctx.params.snapshot);
    return guestConfig(ctx.state, g);
  });

  router.add(`GET ${base}/{vmid}/status`, (ctx) => {
    guestOf(ctx, type);
    const cmds = ['current', 'start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'];
    if (type === 'qemu') cmds.push('reset');
    return cmds.map((subdir) => ({ subdir }));
  });

  router.add(`GET ${base}/{vmid}/status/current`, (ctx) => currentStatus(ctx.state, guestOf(ctx, type), ctx.state.clock.now()));

  router.add(`GET ${base}/{vmid}/rrddata`, (ctx) =>
    guestRrd(ctx.state, guestOf(ctx, type), ctx.params.timeframe ?? 'hour', ctx.params.cf ?? 'AVERAGE'),
  );

  router.add(`DELETE ${base}/{vmid}`, (ctx) => {
    const { state, principal, params } = ctx;
    const g = guestOf(ctx, type);
    if (g.status === 'running') {
      throw failure(type === 'qemu' ? `VM ${g.vmid} is running - destroy failed` : `unable to destroy CT ${g.vmid} - container is running`);
    }
    if (g.ha && params.purge !== '1') {
      throw failure(`unable to remove ${type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} - used in HA resources and purge parameter not set.`);
    }
    const label = type === 'qemu' ? 'VM' : 'CT';
    return state.startTask(
      {
        node: g.node,
        type: type === 'qemu' ? 'qmdestroy' : 'vzdestroy',
        id: String(g.vmid),
        user: principal.userid,
        durationMs: state.taskDuration(),
        failWith: g.lock && params.skiplock !== '1' ? `${label} is locked (${g.lock})` : undefined,
        finish: () => {
          state.guests.delete(g.vmid);
          const lines = [`  Logical volume "${volumeName(g)}" successfully removed.`];
          if (params.purge === '1') lines.push(`purging ${label} ${g.vmid} from related configurations..`);
          return lines;
        },
      },
      g.vmid,
    ).upid;
  });
}

export function registerGuests(router: Router): void {
  registerType(router, 'qemu');
  registerType(router, 'lxc');

  router.add('GET /nodes/{node}/qemu/{vmid}/agent', (ctx) => {
    guestOf(ctx, 'qemu');
    return ['fsfreeze-status', 'get-fsinfo', 'get-host-name', 'get-osinfo', 'get-time', 'info', 'network-get-interfaces', 'ping'].map(
      (name) => ({ name }),
    );
  });

  router.add('GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', (ctx) => {
    const g = guestOf(ctx, 'qemu');
    if (!g.agentConfigured) throw failure('No QEMU guest agent configured');
    if (g.status !== 'running') throw failure(`VM ${g.vmid} is not running`);
    if (!agentAnswers(g)) throw failure('QEMU guest agent is not running');
    return agentInterfaces(g);
  });

  router.add('GET /nodes/{node}/lxc/{vmid}/interfaces', (ctx) => {
    const g = guestOf(ctx, 'lxc');
    if (g.status !== 'running') return null;
    return [
      {
        name: 'lo',
        hwaddr: '00:00:00:00:00:00',
        'hardware-address': '00:00:00:00:00:00',
        inet: '127.0.0.1/8',
        inet6: '::1/128',
        'ip-addresses': [
          { 'ip-address': '127.0.0.1', 'ip-address-type': 'inet', prefix: 8 },
          { 'ip-address': '::1', 'ip-address-type': 'inet6', prefix: 128 },
        ],
      },
      ...g.nics.map(lxcInterface),
    ];
  });
}
