import type { ServerInput } from '../../../shared/server';
import type { ServerView } from '../../../shared/server';
import { intOption, UsageError } from './args';

/** The flags `add` and `edit` share; `edit` takes the same ones, each optional. */
export const SERVER_FLAGS = {
  address: { type: 'string' },
  kind: { type: 'string' },
  mac: { type: 'string' },
  port: { type: 'string', multiple: true },
  'ssh-user': { type: 'string' },
  'ssh-port': { type: 'string' },
  'ssh-key': { type: 'string' },
  parent: { type: 'string' },
  notes: { type: 'string' },
  name: { type: 'string' },
} as const;

export const SERVER_FLAGS_HELP = `  --address A        hostname or IP address
  --kind K           physical | proxmox-node | vm | lxc (default physical)
  --mac M            MAC address for Wake-on-LAN
  --port P           a TCP port that answers when the server is up (repeatable; default 22)
  --ssh-user U       SSH user for power commands and metrics
  --ssh-port P       SSH port (default 22)
  --ssh-key FILE     private key file for SSH
  --parent NAME      the server this one runs on (woken first)
  --notes TEXT       free text shown on the card`;

type Flags = { [K in keyof typeof SERVER_FLAGS]?: (typeof SERVER_FLAGS)[K] extends { multiple: true } ? string[] : string };

export function serverPatchFromFlags(values: Flags, servers: readonly ServerView[], current?: ServerView): Partial<ServerInput> {
  const patch: Partial<ServerInput> = {};
  if (values.name !== undefined) patch.name = values.name;
  if (values.address !== undefined) patch.address = values.address;
  if (values.kind !== undefined) patch.kind = values.kind as ServerInput['kind'];
  if (values.mac !== undefined) patch.mac = values.mac;
  if (values.notes !== undefined) patch.notes = values.notes;
  if (values.port !== undefined) patch.ports = values.port.map((p) => intOption(p, 'port', 1, 65535) as number);
  if (values.parent !== undefined) {
    const parent = servers.find((s) => s.id === values.parent || s.name.toLowerCase() === values.parent?.toLowerCase());
    if (!parent) throw new UsageError(`--parent: no server named "${values.parent}"`);
    patch.parentId = parent.id;
  }
  const sshTouched = values['ssh-user'] !== undefined || values['ssh-port'] !== undefined || values['ssh-key'] !== undefined;
  if (sshTouched) {
    const user = values['ssh-user'] ?? current?.ssh?.user;
    if (!user) throw new UsageError('--ssh-port and --ssh-key need --ssh-user');
    const port = intOption(values['ssh-port'], 'ssh-port', 1, 65535) ?? current?.ssh?.port ?? 22;
    const keyPath = values['ssh-key'] ?? current?.ssh?.keyPath;
    patch.ssh = { user, port, auth: 'key', ...(keyPath ? { keyPath } : {}) };
  }
  return patch;
}
