import type { ClusterConfig, ClusterView, DiscoveryReport } from '../../shared/contract/proxmox';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isUserId, parseTokenSpec, type ProxmoxCredentials } from '../drivers/proxmox/model/credentials';
import { normalizeBaseUrl, normalizeFingerprint, type CertificateInfo } from '../drivers/proxmox/model/endpoints';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { setupToken, type Exec, type TokenSetupOptions } from '../drivers/proxmox/model/token-setup';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { consoleRefusal } from './console-auth';
import type { ClusterSecrets, ProxmoxClients, ProxmoxEnginePort } from './port';

export interface AddClusterInput {
  name: string;
  url: string;
  /** USER@REALM!TOKENID=SECRET */
  token?: string;
  /** user@realm, with `password`: ticket auth. */
  username?: string;
  password?: string;
  fingerprint?: string;
  discovery?: boolean;
  intervalMs?: number;
}

export interface ClusterAdminDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  secrets: ClusterSecrets;
  clients: Pick<ProxmoxClients, 'inspectCertificate'>;
  /** One discovery refresh of a cluster. */
  refresh(rt: ClusterRuntime): Promise<DiscoveryReport>;
  /** Starts a cluster's refresh loop when discovery runs. */
  watch(rt: ClusterRuntime): void;
}

/**
 * The configured clusters: adding one (after one successful contact), removing it with what
 * discovery made for it, pinning a certificate, replacing credentials, setting up a
 * least-privilege token over SSH. The config holds the clusters; secrets go to the secrets port.
 */
export class ClusterAdmin {
  constructor(private readonly deps: ClusterAdminDeps) {}

  clusters(): ClusterView[] {
    return this.deps.book.all().map((rt) => this.view(rt));
  }

  /**
   * Adds a cluster after one successful contact: the certificate (system CAs or the pinned
   * fingerprint), the credentials and the first discovery. Nothing is saved when any fails.
   */
  async addCluster(input: AddClusterInput): Promise<{ cluster: ClusterView; report: DiscoveryReport }> {
    const { book, engine } = this.deps;
    if (book.taken(input.name)) {
      throw new ProxmoxError('parameter', `A cluster named "${input.name}" already exists`, { errors: { name: 'this name is taken' } });
    }
    const url = normalizeBaseUrl(input.url);
    const fingerprint = input.fingerprint ? normalizeFingerprint(input.fingerprint) : undefined;
    let credentials: ProxmoxCredentials;
    let config: ClusterConfig;
    const base = { name: input.name, url, discovery: input.discovery ?? true, ...(fingerprint ? { fingerprint } : {}), ...(input.intervalMs ? { intervalMs: input.intervalMs } : {}), addedAt: engine.clock.now() };
    if (input.token) {
      const { tokenId, secret } = parseTokenSpec(input.token);
      credentials = { kind: 'token', tokenId, secret };
      config = { ...base, auth: 'token', tokenId };
    } else if (input.username && input.password !== undefined) {
      if (!isUserId(input.username)) throw new ProxmoxError('parameter', 'a user is USER@REALM, e.g. root@pam', { errors: { username: 'USER@REALM' } });
      credentials = { kind: 'ticket', username: input.username, password: input.password };
      config = { ...base, auth: 'ticket', username: input.username };
    } else {
      throw new ProxmoxError('parameter', 'give an API token, or a user and a password', { errors: { token: 'required without a user' } });
    }
    const client = book.connect(config, credentials);
    let rt: ClusterRuntime;
    try {
      // Its release decides bulk actions and token consoles: read with the first contact, no extra request.
      const version = (await client.version()).version;
      if (version) config = { ...config, version };
      rt = { ...book.fresh(config), client };
    } catch (error) {
      client.close();
      throw error;
    }
    book.put(rt);
    this.deps.secrets.set(config.name, credentials.kind === 'token' ? credentials.secret : credentials.password);
    engine.writeClusters([...engine.clusters().filter((c) => c.name !== config.name), config]);
    const report = await this.deps.refresh(rt);
    this.deps.watch(rt);
    return { cluster: this.view(rt), report };
  }

  /** Removes a cluster, its secrets, and every server discovery made for it. */
  removeCluster(name: string): { removed: string; servers: number } {
    const { book, engine } = this.deps;
    const rt = book.get(name);
    rt.loop?.stop();
    rt.client?.close();
    book.remove(rt.config.name);
    this.deps.secrets.set(rt.config.name, null);
    if (rt.config.consoleUser) this.deps.secrets.set(rt.config.name, null, 'console');
    engine.writeClusters(engine.clusters().filter((c) => c.name !== rt.config.name));
    const owned = engine.servers().filter((s) => s.proxmox?.cluster === rt.config.name).map((s) => s.id);
    engine.applyDiscovered([], owned);
    return { removed: rt.config.name, servers: owned.length };
  }

  /** The certificate an API URL presents, before anything is trusted: the admin compares its fingerprint. */
  inspectCertificate(url: string): Promise<CertificateInfo> {
    return this.deps.clients.inspectCertificate(url);
  }

  /** Pins a (new) certificate fingerprint after the admin compared it with the node's. */
  async trustFingerprint(name: string, fingerprint: string): Promise<ClusterView> {
    const { book, engine } = this.deps;
    const rt = book.get(name);
    const pinned = normalizeFingerprint(fingerprint);
    const config = { ...rt.config, fingerprint: pinned };
    engine.writeClusters(engine.clusters().map((c) => (c.name === rt.config.name ? config : c)));
    rt.client?.close();
    rt.config = config;
    rt.client = undefined;
    await this.deps.refresh(rt);
    return this.view(rt);
  }

  /** Replaces a cluster's token or password (the secret goes to the encrypted store only). */
  setCredentials(name: string, secret: string): ClusterView {
    const rt = this.deps.book.get(name);
    this.deps.secrets.set(rt.config.name, secret);
    this.deps.book.dropClient(rt);
    return this.view(rt);
  }

  /**
   * A user login for the consoles of a token cluster (PVE 8 refuses API tokens on consoles),
   * checked with one login before it is kept; the password goes to the secrets store only.
   * `null` removes it.
   */
  async setConsoleLogin(name: string, username: string | null, password?: string): Promise<ClusterView> {
    const { book, engine, secrets } = this.deps;
    const rt = book.get(name);
    let config: ClusterConfig;
    if (username === null) {
      const { consoleUser: _gone, ...rest } = rt.config;
      config = rest;
      secrets.set(rt.config.name, null, 'console');
    } else {
      if (!isUserId(username)) throw new ProxmoxError('parameter', 'a user is USER@REALM, e.g. root@pam', { errors: { username: 'USER@REALM' } });
      if (password === undefined) throw new ProxmoxError('parameter', 'a password is required with the user', { errors: { password: 'required' } });
      const probe = book.connect(rt.config, { kind: 'ticket', username, password });
      try {
        await probe.version();
      } finally {
        probe.close();
      }
      secrets.set(rt.config.name, password, 'console');
      config = { ...rt.config, consoleUser: username };
    }
    engine.writeClusters(engine.clusters().map((c) => (c.name === rt.config.name ? config : c)));
    rt.config = config;
    return this.view(rt);
  }

  /** The credentials a console of this cluster opens with: its console login when it has one, else its own. */
  consoleCredentials(name: string): ProxmoxCredentials {
    const { book, secrets } = this.deps;
    const rt = book.get(name);
    const user = rt.config.consoleUser;
    const password = user ? secrets.get(rt.config.name, 'console') : undefined;
    if (user && password !== undefined) return { kind: 'ticket', username: user, password };
    return book.credentialsOf(rt.config);
  }

  /**
   * Sets up least-privilege access over SSH on a Proxmox host (user, role, privsep token), then
   * adds the cluster with the new token. `exec` runs a command on the host.
   */
  async setupOverSsh(input: { name: string; url: string; fingerprint?: string; exec: Exec; options?: TokenSetupOptions }): Promise<{ cluster: ClusterView; report: DiscoveryReport; tokenId: string; privileges: string[] }> {
    const result = await setupToken(input.exec, input.options);
    const added = await this.addCluster({ name: input.name, url: input.url, token: `${result.tokenId}=${result.secret}`, ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}) });
    return { ...added, tokenId: result.tokenId, privileges: result.privileges };
  }

  /**
   * A separate client for a configured cluster, with its stored secret and pinned certificate:
   * for consoles and other long-lived uses that should not share the discovery's connections.
   * The caller closes it.
   */
  openClient(name: string): ProxmoxClient {
    const { book } = this.deps;
    const rt = book.get(name);
    return book.connect(rt.config, book.credentialsOf(rt.config));
  }

  private view(rt: ClusterRuntime): ClusterView {
    const refusal = consoleRefusal(rt.config, rt.version ?? rt.status.version);
    return { ...rt.config, hasSecret: this.deps.book.hasSecret(rt.config.name), status: { ...rt.status, ...(refusal ? { consoleRefusal: refusal } : {}) } };
  }
}
