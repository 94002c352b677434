import type { HostSpec } from '../hosts/spec';

/** What a login shell prints before the first prompt, per distribution, and the prompt itself. */
export function loginBanner(spec: HostSpec): string {
  if (spec.os === 'windows') {
    return `${spec.kernel.version}\n(c) Microsoft Corporation. All rights reserved.\n\n`;
  }
  if (spec.os === 'ubuntu') {
    return `Welcome to ${spec.prettyName} (GNU/Linux ${spec.kernel.release} x86_64)\n\n` +
      ' * Documentation:  https://help.ubuntu.com\n * Management:     https://landscape.canonical.com\n' +
      ' * Support:        https://ubuntu.com/pro\n\n';
  }
  return `Linux ${spec.hostname} ${spec.kernel.release} ${spec.kernel.version} x86_64\n\n` +
    'The programs included with the Debian GNU/Linux system are free software;\n' +
    'the exact distribution terms for each program are described in the\n' +
    'individual files in /usr/share/doc/*/copyright.\n\n' +
    'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\n' +
    'permitted by applicable law.\n';
}

export function promptFor(spec: HostSpec, user: string): string {
  if (spec.os === 'windows') return `${user}@${spec.hostname} C:\\Users\\${user}>`;
  return `${user}@${spec.hostname}:~${user === 'root' ? '#' : '$'} `;
}
