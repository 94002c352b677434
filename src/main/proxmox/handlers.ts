import type { Handlers } from '../../shared/contract';
import type { Engine } from '../inventory/engine';
import type { PowerController } from '../power/controller';
import type { ProxmoxService } from './service';
import { HandlerError } from '../base/errors';
import type { CallContext } from '../ipc/router';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { normalizeFingerprint } from '../drivers/proxmox/model/endpoints';

/**
 * Turns driver errors into errors the faces show as they are: the message names the cause
 * (wrong credentials, the missing privilege, the presented fingerprint), and `fields` carries
 * what a form needs (the fingerprint to confirm, the parameter that was refused).
 */
export function toHandlerError(error: unknown): unknown {
  if (error instanceof HandlerError) return error;
  if (error instanceof ProxmoxError) {
    switch (error.kind) {
      case 'certificate_untrusted':
      case 'certificate_mismatch':
        return new HandlerError('conflict', error.message, {
          fingerprint: error.fingerprint ?? '',
          ...(error.expectedFingerprint ? { expectedFingerprint: error.expectedFingerprint } : {}),
        });
      case 'not_found':
        return new HandlerError('not_found', error.message);
      case 'parameter':
        return new HandlerError('bad_request', error.message, error.errors);
      case 'not_running':
        return new HandlerError('conflict', error.message);
      case 'permission':
        return new HandlerError('failed', error.message, error.permission ? { privilege: error.permission.privilege, path: error.permission.path } : undefined);
      default:
        return new HandlerError('failed', error.message);
    }
  }
  // The driver's own input checks (a malformed token, URL or fingerprint) throw plain Errors with the reason.
  if (error instanceof Error && !(error instanceof TypeError) && !(error instanceof RangeError)) return new HandlerError('bad_request', error.message);
  return error;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toHandlerError(error);
  }
}

export function proxmoxHandlers(engine: Engine, px: ProxmoxService, power: Pick<PowerController, 'shellFor'>): Handlers<CallContext>['proxmox'] {
  return {
    clusters: async () => px.clusters(),
    addCluster: (input) => guard(() => px.addCluster(input)),
    removeCluster: ({ name }) => guard(async () => px.removeCluster(name)),
    checkCertificate: ({ url }) => guard(() => px.inspectCertificate(url)),
    trustFingerprint: ({ name, fingerprint }) => guard(() => px.trustFingerprint(name, fingerprint)),
    setCredentials: ({ name, secret }) => guard(async () => px.setCredentials(name, secret)),
    setConsoleLogin: ({ name, username, password }) => guard(() => px.setConsoleLogin(name, username, password)),
    setupToken: ({ serverId, name, fingerprint, tokenName, allowDelete }) =>
      guard(async () => {
        const server = engine.get(serverId);
        const url = `https://${server.address.includes(':') && !server.address.startsWith('[') ? `[${server.address}]` : server.address}:8006`;
        // Before anything is created on the host: a self-signed API needs the admin's confirmed fingerprint.
        const cert = await px.inspectCertificate(url);
        if (!cert.authorized && !fingerprint) {
          throw new ProxmoxError('certificate_untrusted', `The API of ${server.name} presents a self-signed certificate with SHA-256 fingerprint ${cert.fingerprint}; confirm it to continue`, { fingerprint: cert.fingerprint });
        }
        if (fingerprint && !cert.authorized && normalizeFingerprint(fingerprint) !== cert.fingerprint) {
          throw new ProxmoxError('certificate_mismatch', `The API of ${server.name} presents ${cert.fingerprint}, not the fingerprint you confirmed`, { fingerprint: cert.fingerprint, expectedFingerprint: normalizeFingerprint(fingerprint) });
        }
        const shell = await power.shellFor(serverId);
        try {
          const result = await px.setupOverSsh({
            name,
            url,
            ...(fingerprint ? { fingerprint } : {}),
            exec: (cmd) => shell.exec(cmd, { timeoutMs: 30_000 }),
            options: { ...(tokenName ? { tokenName } : {}), ...(allowDelete ? { allowDelete } : {}) },
          });
          return { cluster: result.cluster, tokenId: result.tokenId, privileges: result.privileges };
        } finally {
          await shell.close?.();
        }
      }),
    discover: ({ cluster }) => guard(() => px.discover(cluster)),
    guests: ({ cluster }) => guard(async () => px.guests(cluster)),
    guestAction: ({ guest, action, timeout, forceStop }) =>
      guard(() => px.guestAction(guest, action, { ...(timeout !== undefined ? { timeout } : {}), ...(forceStop !== undefined ? { forceStop } : {}) })),
    task: ({ upid, cluster }) => guard(() => px.task(upid, cluster)),
    waitTask: ({ upid }) => guard(() => px.waitTask(upid)),
    tasks: async ({ serverId }) => px.tasks.list().filter((t) => !serverId || t.serverId === serverId),
    taskLog: ({ upid, start, cluster }) => guard(() => px.taskLog(upid, start ?? 0, cluster)),
    snapshots: ({ guest }) =>
      guard(async () => {
        const { guest: g, ...tree } = await px.snapshots(guest);
        return { ...tree, guest: { cluster: g.cluster, serverId: g.serverId, id: g.id, type: g.type, vmid: g.vmid, node: g.node, name: g.name, status: g.status } };
      }),
    snapshotCreate: ({ guest, name, description, vmstate }) => guard(() => px.createSnapshot(guest, { name, ...(description ? { description } : {}), ...(vmstate ? { vmstate } : {}) })),
    snapshotRollback: ({ guest, name, start }) => guard(() => px.rollbackSnapshot(guest, name, start !== undefined ? { start } : {})),
    snapshotDelete: ({ guest, name }) => guard(() => px.deleteSnapshot(guest, name)),
    deleteGuest: ({ guest, confirmName }) => guard(() => px.deleteGuest(guest, confirmName)),
    storage: ({ cluster }) => guard(async () => px.storage(cluster)),
    nodeTasks: ({ node, cluster, limit }) => guard(() => px.nodeTasks(node, cluster, limit)),
    changes: async (input) => px.changes({ ...(input.cluster ? { cluster: input.cluster } : {}), ...(input.since !== undefined ? { since: input.since } : {}), ...(input.limit ? { limit: input.limit } : {}) }),
    addresses: ({ guest }) => guard(() => px.addresses(guest)),
    lookup: (q) => guard(async () => px.lookup({ ...(q.ip ? { ip: q.ip } : {}), ...(q.hostname ? { hostname: q.hostname } : {}), ...(q.name ? { name: q.name } : {}) }) ?? null),
    bulk: ({ guests, action, timeout, forceStop, toDisk }) =>
      guard(() => px.bulk(guests, action, { ...(timeout !== undefined ? { timeout } : {}), ...(forceStop !== undefined ? { forceStop } : {}), ...(toDisk !== undefined ? { toDisk } : {}) })),
    scanBackups: ({ cluster }) => guard(() => px.scanBackups(cluster)),
    settings: async () => px.settings(),
    setSettings: (patch) =>
      guard(async () =>
        px.setSettings({
          ...(patch.backupMaxAgeHours !== undefined ? { backupMaxAgeHours: patch.backupMaxAgeHours } : {}),
          ...(patch.backupScanIntervalMs !== undefined ? { backupScanIntervalMs: patch.backupScanIntervalMs } : {}),
        }),
      ),
  };
}
