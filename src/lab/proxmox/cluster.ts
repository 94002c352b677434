/**
 * startProxmoxCluster: builds the seeded cluster, starts one HTTPS listener per powered-on node
 * and follows each node host's power: a node that is not "on" closes its listener, shows as
 * offline to the others, and loses its guests' live figures (and its running guests, when it
 * loses power rather than suspends).
 */
import { WebSocketServer } from 'ws';
import { createRng } from '../random';
import { AccessControl } from './access-control';
import { Authenticator } from './auth';
import { recordBackup } from './backups';
import { createCertificate, fingerprintOf, type LabCertificate } from './cert';
import { createLabClock } from './clock';
import { ClusterState } from './cluster-state';
import type {
  LabCredentials,
  LabTokenSpec,
  LabUserSpec,
  ProxmoxClusterDescription,
  ProxmoxClusterHandle,
  ProxmoxClusterOptions,
} from './cluster-types';
import { ConsoleManager } from './console';
import { Faults } from './faults';
import { Figures } from './figures';
import { defaultStorages, generateBackupRuns, generateFiles, generateGuests, generateNodes, seededUuid } from './generate';
import { guestControl, requireLabGuest } from './guest-control';
import { generateTaskHistory } from './history';
import type { NodeRecord } from './model';
import { NodePowerFollower } from './node-power';
import { pveProfile, type PveProfile } from './profile';
import { runPveum } from './pveum';
import { applyRealWorldShapes, realWorldBackups } from './real-world';
import { reposOf, setRepos } from './repos';
import { RequestLog } from './request-log';
import type { LabServices } from './router';
import { buildRouter } from './routes/index';
import { NodeListener } from './server';
import { TaskRegistry } from './tasks';

const HOUR = 3_600_000;

function mergeById<T>(defaults: readonly T[], extra: readonly T[] | undefined, key: (t: T) => string): T[] {
  const map = new Map(defaults.map((t) => [key(t), t]));
  for (const t of extra ?? []) map.set(key(t), t);
  return [...map.values()];
}

function urlOf(node: NodeRecord): string {
  const host = node.address.includes(':') ? `[${node.address}]` : node.address;
  return `https://${host}:${node.port}`;
}

/** A role or token naming a privilege the release does not have is refused, as pveum refuses it. */
function assertPrivileges(profile: PveProfile, specs: readonly { privileges: 'all' | readonly string[] }[]): void {
  for (const spec of specs) {
    if (spec.privileges === 'all') continue;
    const unknown = spec.privileges.find((p) => !profile.privileges.includes(p));
    if (unknown !== undefined) throw new Error(`invalid privilege '${unknown}' (not a privilege of Proxmox VE ${profile.version.release})`);
  }
}

/** The network rule: the lab never listens (or answers) outside the loopback range. */
function assertLoopback(address: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) && address !== '::1') {
    throw new Error(`lab Proxmox node address ${address} is not a loopback address`);
  }
}

export async function startProxmoxCluster(options: ProxmoxClusterOptions): Promise<ProxmoxClusterHandle> {
  if (options.nodes.length === 0) throw new Error('a Proxmox cluster needs at least one node');
  for (const host of options.nodes) assertLoopback(host.info.address);
  const seed = options.seed ?? 1;
  const profile = pveProfile(options.version ?? 9);
  const clock = createLabClock(options.now);
  const genRng = createRng(seed);
  const start = clock.now();
  const guestCount = options.guests ?? 8;

  const nodes = generateNodes(genRng, options.nodes, guestCount, start);
  const guests = generateGuests(genRng, seed, nodes, guestCount, start);
  const storages = defaultStorages(nodes.length, guestCount);
  const files = generateFiles(genRng, nodes, start);
  const seededRuns = generateBackupRuns(genRng, guests, start);
  if (options.realWorld) applyRealWorldShapes(guests);

  const credRng = createRng(seed ^ 0x2c1b3c6d);
  const tokens: Required<LabTokenSpec>[] = mergeById<LabTokenSpec>(
    [
      { tokenId: 'root@pam!rackdeck', privileges: 'all' },
      { tokenId: 'audit@pve!ro', privileges: ['VM.Audit', 'Sys.Audit'] },
    ],
    options.tokens,
    (t) => t.tokenId,
  ).map((t) => ({ ...t, secret: t.secret ?? seededUuid(credRng) }));
  const users = mergeById<LabUserSpec>(
    [{ username: 'root@pam', password: 'rackdeck-lab', privileges: 'all' }],
    options.users,
    (u) => u.username,
  );
  assertPrivileges(profile, [...tokens, ...users]);
  const auth = new Authenticator({ clock, ticketLifetimeMs: options.ticketLifetimeMs ?? 2 * HOUR, tokens, users, allPrivileges: profile.privileges });
  const access = new AccessControl(profile, (type, id) => (type === 'user' ? auth.hasUser(id) : auth.hasToken(id)));
  auth.granted = (id) => access.granted(id);

  const settings = {
    seed,
    clusterName: options.clusterName ?? 'homelab',
    taskDelayMs: options.taskDelayMs,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    authFailDelayMs: options.authFailDelayMs ?? 3000,
    ticketLifetimeMs: options.ticketLifetimeMs ?? 2 * HOUR,
    consoleTicketLifetimeMs: options.consoleTicketLifetimeMs ?? 40_000,
  };
  const registry: TaskRegistry = new TaskRegistry(clock, 100_000 + genRng.int(0, 200_000), (name) => state.nodeUptime(name));
  const state: ClusterState = new ClusterState({
    settings,
    profile,
    clock,
    nodes,
    guests,
    storages,
    files,
    tasks: registry,
    auth,
    access,
    faults: new Faults(createRng(seed ^ 0x51ed270b)),
    figures: new Figures(seed),
    rng: createRng(seed ^ 0x68e31da4),
  });
  generateTaskHistory(genRng, registry, nodes, guests, start);
  const bootOf = (g: { node: string }): number => nodes.find((n) => n.name === g.node)?.bootedAt ?? start;
  const runs = options.realWorld ? realWorldBackups(guests, start) : seededRuns.map((r) => ({ ...r, ok: true }));
  for (const run of runs) {
    const volume = recordBackup(registry, { ...run, bootedAtMs: bootOf(run.guest) }, registry.allocatePid());
    if (volume) files.push(volume);
  }

  let certificate: LabCertificate = options.certificate
    ? { ...options.certificate, fingerprint: fingerprintOf(options.certificate.cert) }
    : await createCertificate({
        commonName: nodes[0]?.name ?? 'pve',
        dnsNames: nodes.map((n) => n.name),
        addresses: nodes.map((n) => n.address),
        now: start,
        keyType: options.certificateKey,
      });

  const consoles = new ConsoleManager(state);
  const services: LabServices = {
    consoles,
    fingerprint: () => certificate.fingerprint,
    certPem: () => certificate.cert,
  };
  const log = new RequestLog();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  const router = buildRouter();
  const listeners = new Map<string, NodeListener>();
  for (const node of nodes) {
    listeners.set(node.name, new NodeListener(node, { state, services, router, log, wss }, certificate));
  }

  const power = new NodePowerFollower(state, consoles, listeners);
  await power.start();

  const first = nodes[0] as NodeRecord;
  const credentials = (): LabCredentials => {
    const admin = tokens.find((t) => t.tokenId === 'root@pam!rackdeck') ?? tokens[0];
    const audit = tokens.find((t) => t.tokenId === 'audit@pve!ro') ?? tokens[0];
    const root = users.find((u) => u.username === 'root@pam') ?? users[0];
    const cred = (t: Required<LabTokenSpec> | undefined): LabCredentials['adminToken'] => ({
      tokenId: t?.tokenId ?? '',
      secret: t?.secret ?? '',
      header: `PVEAPIToken=${t?.tokenId ?? ''}=${t?.secret ?? ''}`,
    });
    return { adminToken: cred(admin), auditToken: cred(audit), user: { username: root?.username ?? '', password: root?.password ?? '' } };
  };

  const urls = (): Record<string, string> => Object.fromEntries(nodes.map((n) => [n.name, urlOf(n)]));
  let stopped = false;

  const handle: ProxmoxClusterHandle = {
    version: profile.major,
    get url() {
      return urlOf(first);
    },
    get urls() {
      return urls();
    },
    get fingerprint() {
      return certificate.fingerprint;
    },
    get certPem() {
      return certificate.cert;
    },
    clusterName: settings.clusterName,
    get credentials() {
      return credentials();
    },
    guest: (vmid) => {
      requireLabGuest(state, vmid);
      return guestControl(state, vmid);
    },
    vmids: () => state.sortedGuests().map((g) => g.vmid),
    repos: (node, patch) => {
      if (patch) setRepos(state, node, patch);
      return structuredClone(reposOf(state, state.requireNode(node).name));
    },
    setFault: (fault) => {
      state.faults.set(fault);
      state.auth.refuseTickets = state.faults.expireTickets;
    },
    clearFaults: () => {
      state.faults.clear();
      state.auth.refuseTickets = false;
    },
    expireTickets: () => state.auth.expireAll(),
    advanceTime: (ms) => clock.advance(ms),
    rotateCertificate: async () => {
      certificate = await createCertificate({
        commonName: first.name,
        dnsNames: nodes.map((n) => n.name),
        addresses: nodes.map((n) => n.address),
        now: clock.now(),
        keyType: options.certificateKey,
      });
      for (const listener of listeners.values()) listener.setCertificate(certificate);
      return certificate.fingerprint;
    },
    requestCount: () => log.count(),
    requestLog: () => log.list(),
    requestCounts: () => log.counts(),
    resetRequestLog: () => log.reset(),
    waitForIdle: (timeoutMs = 30_000) =>
      registry.waitForIdle(timeoutMs, (t) => t.type === 'vncshell' || t.type === 'vncproxy'),
    describe: (): ProxmoxClusterDescription => ({
      clusterName: settings.clusterName,
      version: profile.version.version,
      url: urlOf(first),
      urls: urls(),
      fingerprint: certificate.fingerprint,
      credentials: credentials(),
      nodes: nodes.map((n) => ({ name: n.name, address: n.address, port: n.port, url: urlOf(n), online: state.isOnline(n) })),
      guests: state.guests.size,
    }),
    pveum: (args) => runPveum(state, args),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await power.stop();
      consoles.stop();
      registry.stop();
      await Promise.all([...listeners.values()].map((l) => l.close()));
      wss.close();
    },
  };
  return handle;
}
