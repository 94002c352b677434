/**
 * GET /nodes/{node}/apt/repositories: the node's repository files as proxmox-apt parses them.
 * PVE 9 (trixie) keeps them as deb822 `.sources` files (the no-subscription and test
 * repositories in proxmox.sources); PVE 8 (bookworm) as one-line `.list` files, where a
 * disabled repository is a commented-out line. Booleans travel as 0/1; `index` is the number
 * the Rust side has (the schema says string: deviations.ts).
 */
import { createHash } from 'node:crypto';
import type { ClusterState } from './cluster-state';
import type { PveMajor } from './profile';
import { reposOf, type LabRepoState } from './repos';

interface Repo {
  Types: string[];
  URIs: string[];
  Suites: string[];
  Components: string[];
  Options?: { Key: string; Values: string[] }[];
  Comment: string;
  FileType: 'list' | 'sources';
  Enabled: 0 | 1;
}

interface RepoFile {
  path: string;
  'file-type': 'list' | 'sources';
  repositories: Repo[];
}

const SUITE: Record<PveMajor, { now: string; old: string }> = { 9: { now: 'trixie', old: 'bookworm' }, 8: { now: 'bookworm', old: 'bullseye' } };
const CEPH: Record<PveMajor, readonly string[]> = { 9: ['squid'], 8: ['quincy', 'reef', 'squid'] };
const PVE_DEBIAN = 'http://download.proxmox.com/debian';
const PVE_ENTERPRISE = 'https://enterprise.proxmox.com/debian';

const DESCRIPTIONS: Record<string, string> = {
  enterprise: 'This is the default, stable, and recommended repository, available for all Proxmox subscription users.',
  'no-subscription':
    "This is the recommended repository for testing and non-production use. Its packages are not as heavily tested and validated as the production ready enterprise repository. You don't need a subscription key to access this repository.",
  test: 'This repository contains the latest packages and is primarily used for test labs and by developers to test new features.',
};

function filesOf(major: PveMajor, r: LabRepoState): RepoFile[] {
  const type = major === 9 ? 'sources' : 'list';
  const suite = SUITE[major].now;
  const signed = (keyring: string) => (major === 9 ? { Options: [{ Key: 'Signed-By', Values: [`/usr/share/keyrings/${keyring}`] }] } : {});
  const repo = (uri: string, suites: string[], components: string[], enabled: boolean, keyring: string): Repo => ({
    Types: ['deb'],
    URIs: [uri],
    Suites: suites,
    Components: components,
    ...signed(keyring),
    Comment: '',
    FileType: type,
    Enabled: enabled ? 1 : 0,
  });
  const debianSuite = r.oldSuite ? SUITE[major].old : suite;
  const debianComponents = major === 9 ? ['main', 'contrib', 'non-free-firmware'] : ['main', 'contrib'];
  const debian = [
    repo(major === 9 ? 'http://deb.debian.org/debian/' : 'http://ftp.debian.org/debian', [debianSuite, `${debianSuite}-updates`], debianComponents, true, 'debian-archive-keyring.gpg'),
    repo(major === 9 ? 'http://security.debian.org/debian-security/' : 'http://security.debian.org', [`${debianSuite}-security`], debianComponents, true, 'debian-archive-keyring.gpg'),
  ];
  const enterprise = repo(`${PVE_ENTERPRISE}/pve`, [suite], ['pve-enterprise'], r.enterprise, 'proxmox-archive-keyring.gpg');
  const noSub = repo(`${PVE_DEBIAN}/pve`, [suite], ['pve-no-subscription'], r.noSubscription, 'proxmox-archive-keyring.gpg');
  const test = r.test === undefined ? [] : [repo(`${PVE_DEBIAN}/pve`, [suite], [major === 9 ? 'pve-test' : 'pvetest'], r.test, 'proxmox-archive-keyring.gpg')];
  const ceph = repo(`${PVE_ENTERPRISE}/ceph-${CEPH[major].at(-1) ?? 'squid'}`, [suite], ['enterprise'], false, 'proxmox-archive-keyring.gpg');
  if (major === 9) {
    return [
      { path: '/etc/apt/sources.list.d/debian.sources', 'file-type': 'sources', repositories: debian },
      { path: '/etc/apt/sources.list.d/pve-enterprise.sources', 'file-type': 'sources', repositories: [enterprise] },
      { path: '/etc/apt/sources.list.d/proxmox.sources', 'file-type': 'sources', repositories: [noSub, ...test] },
      { path: '/etc/apt/sources.list.d/ceph.sources', 'file-type': 'sources', repositories: [ceph] },
    ];
  }
  return [
    { path: '/etc/apt/sources.list', 'file-type': 'list', repositories: [...debian, ...test] },
    { path: '/etc/apt/sources.list.d/pve-enterprise.list', 'file-type': 'list', repositories: [enterprise] },
    { path: '/etc/apt/sources.list.d/pve-no-subscription.list', 'file-type': 'list', repositories: [noSub] },
    { path: '/etc/apt/sources.list.d/ceph.list', 'file-type': 'list', repositories: [ceph] },
  ];
}

/** Which standard repository a configured one is, by its URI and component (as proxmox-apt matches them). */
function handleOf(repo: Repo): string | undefined {
  const uri = repo.URIs[0] ?? '';
  const component = repo.Components[0] ?? '';
  const ceph = /\/ceph-([a-z]+)$/.exec(uri)?.[1];
  if (ceph) return `ceph-${ceph}-${component === 'enterprise' ? 'enterprise' : component === 'no-subscription' ? 'no-subscription' : 'test'}`;
  if (!uri.endsWith('/pve')) return undefined;
  return { 'pve-enterprise': 'enterprise', 'pve-no-subscription': 'no-subscription', 'pve-test': 'test', pvetest: 'test' }[component];
}

const KIND_NAMES: Record<string, string> = { enterprise: 'Enterprise', 'no-subscription': 'No-Subscription', test: 'Test' };

/** "Enterprise", "No-Subscription", "Ceph Squid Enterprise"…: the names proxmox-apt gives its handles. */
function titleOf(handle: string): string {
  const ceph = /^ceph-([a-z]+)-(.+)$/.exec(handle);
  if (!ceph) return KIND_NAMES[handle] ?? handle;
  const release = ceph[1] ?? '';
  return `Ceph ${release.charAt(0).toUpperCase()}${release.slice(1)} ${KIND_NAMES[ceph[2] ?? ''] ?? ''}`;
}

function standardRepos(major: PveMajor, files: readonly RepoFile[]): Record<string, unknown>[] {
  const status = new Map<string, 0 | 1>();
  for (const f of files) for (const r of f.repositories) {
    const h = handleOf(r);
    if (h) status.set(h, r.Enabled === 1 || status.get(h) === 1 ? 1 : 0);
  }
  const handles = ['enterprise', 'no-subscription', 'test', ...CEPH[major].flatMap((c) => [`ceph-${c}-enterprise`, `ceph-${c}-no-subscription`, `ceph-${c}-test`])];
  return handles.map((handle) => {
    const kind = handle.replace(/^ceph-[a-z]+-/, '');
    const s = status.get(handle);
    return { handle, name: titleOf(handle), description: DESCRIPTIONS[kind] ?? '', ...(s === undefined ? {} : { status: s }) };
  });
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export function aptRepositories(state: ClusterState, node: string): Record<string, unknown> {
  const major = state.profile.major;
  const r = reposOf(state, node);
  const files = filesOf(major, r);
  const infos: Record<string, unknown>[] = [];
  for (const f of files) {
    f.repositories.forEach((repo, index) => {
      infos.push({ path: f.path, index, kind: 'origin', message: repo.URIs[0]?.includes('proxmox.com') ? 'Proxmox' : 'Debian' });
    });
  }
  if (r.oldSuite) infos.push({ path: files[0]?.path ?? '', index: 0, kind: 'warning', property: 'Suites', message: `old suite '${SUITE[major].old}' configured!` });
  const broken = new Set(r.errors.map((e) => e.path));
  const parsed = files.filter((f) => !broken.has(f.path));
  const withDigest = parsed.map((f) => ({ ...f, digest: [...sha256(JSON.stringify(f.repositories))] }));
  return {
    files: withDigest,
    errors: r.errors.map((e) => ({ ...e })),
    infos,
    'standard-repos': standardRepos(major, parsed),
    digest: sha256(JSON.stringify([parsed, r.errors])).toString('hex'),
  };
}
