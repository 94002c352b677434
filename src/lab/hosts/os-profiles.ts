import type { LabHostInfo } from '../types';
import type { KernelSpec } from './spec';

/**
 * Strings copied from real installs (Debian 12.8, Proxmox VE 8.3, Ubuntu 24.04.1, Windows 11
 * 23H2 with the OpenSSH server feature) so Rackdeck's parsers meet what they will meet in a rack.
 */
export interface OsProfile {
  kernel: KernelSpec;
  osRelease: string;
  prettyName: string;
  sshIdent: string;
  /** `uname -a` prints processor and hardware platform only where they are known (Ubuntu). */
  unameShowsPlatform: boolean;
  debianVersion?: string;
  pveVersion?: string;
}

const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

const UBUNTU_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`;

export const OS_PROFILES: Readonly<Record<LabHostInfo['os'], OsProfile>> = {
  debian: {
    kernel: {
      release: '6.1.0-28-amd64',
      version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
      compiler: '(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40)',
    },
    osRelease: DEBIAN_OS_RELEASE,
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
    sshIdent: 'OpenSSH_9.2p1 Debian-2+deb12u3',
    unameShowsPlatform: false,
    debianVersion: '12.8',
  },
  proxmox: {
    kernel: {
      release: '6.8.12-4-pve',
      version: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)',
      compiler: '(build@proxmox) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40)',
    },
    // Proxmox VE is Debian underneath and keeps Debian's os-release.
    osRelease: DEBIAN_OS_RELEASE,
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
    sshIdent: 'OpenSSH_9.2p1 Debian-2+deb12u3',
    unameShowsPlatform: false,
    debianVersion: '12.8',
    pveVersion: 'pve-manager/8.3.0/c1689ccb1065a83b',
  },
  ubuntu: {
    kernel: {
      release: '6.8.0-49-generic',
      version: '#49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024',
      compiler: '(buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42)',
    },
    osRelease: UBUNTU_OS_RELEASE,
    prettyName: 'Ubuntu 24.04.1 LTS',
    sshIdent: 'OpenSSH_9.6p1 Ubuntu-3ubuntu13.5',
    unameShowsPlatform: true,
    debianVersion: 'trixie/sid',
  },
  windows: {
    kernel: { release: '10.0.22631.4460', version: 'Microsoft Windows [Version 10.0.22631.4460]', compiler: '' },
    osRelease: '',
    prettyName: 'Microsoft Windows 11 Pro',
    sshIdent: 'OpenSSH_for_Windows_9.5',
    unameShowsPlatform: false,
  },
};
