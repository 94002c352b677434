import { describe, expect, it } from 'vitest';
import { judgeRepos } from '../../src/main/checks/model/repos';
import type { NodeRepos, StandardRepo } from '../../src/main/drivers/proxmox/repos';
import { checkSpecSchema, type CheckOf } from '../../src/shared/contract/checks';

/** The repos judge, rule by rule, on answers shaped like a node's (a homelab's usual setup as the base). */
const check = (extra: Record<string, unknown> = {}) => ({ id: 'repos', ...checkSpecSchema.parse({ kind: 'repos', ...extra }) }) as CheckOf<'repos'>;

function repos(over: { status?: string; enterprise?: boolean; noSub?: boolean; test?: boolean; extra?: Partial<NodeRepos>; sub?: Partial<NodeRepos['subscription']> } = {}): NodeRepos {
  const std = (handle: string, enabled: boolean | undefined): StandardRepo => ({ handle, name: handle, ...(enabled === undefined ? {} : { enabled }) });
  return {
    subscription: { status: over.status ?? 'notfound', message: 'There is no subscription key', ...over.sub },
    standard: [std('enterprise', over.enterprise ?? false), std('no-subscription', over.noSub ?? true), std('test', over.test), std('ceph-squid-enterprise', false)],
    errors: [],
    infos: [{ path: '/etc/apt/sources.list.d/proxmox.sources', index: 0, kind: 'origin', message: 'Proxmox' }],
    ...over.extra,
  };
}

const BROKEN = { path: '/etc/apt/sources.list.d/broken.list', error: "parsing /etc/apt/sources.list.d/broken.list failed on line 1 - unknown package type 'dep'" };
const OLD_SUITE = { path: '/etc/apt/sources.list', index: 0, kind: 'warning', property: 'Suites', message: "old suite 'bookworm' configured!" };

describe('the repos judge', () => {
  it.each([
    ['no subscription, no-subscription repo: the homelab normal', repos(), {}, 'ok', /no-subscription repository \(the usual homelab setup/],
    ['the same, on a check that wants production warnings', repos(), { noSubscriptionWarns: true }, 'warning', /not recommended for production use/],
    ['enterprise with an active subscription', repos({ status: 'active', enterprise: true, noSub: false }), {}, 'ok', /^enterprise repository with an active subscription$/],
    ['enterprise without a subscription: apt update fails', repos({ enterprise: true }), {}, 'fail', /enterprise repository is enabled, but there is no active subscription \(apt update fails with 401\)/],
    ['enterprise with a "new" key not yet checked', repos({ status: 'new', enterprise: true, noSub: false }), {}, 'fail', /no active subscription/],
    ['the test repository', repos({ test: true }), {}, 'warning', /^the test repository is enabled/],
    ['no Proxmox VE repository at all', repos({ noSub: false }), {}, 'warning', /^no Proxmox VE repository is enabled: the node gets no updates$/],
    ['a file apt cannot parse', repos({ extra: { errors: [BROKEN] } }), {}, 'fail', /^apt cannot parse \/etc\/apt\/sources.list.d\/broken.list: parsing .* unknown package type 'dep'$/],
    ['an info of kind warning (an old suite)', repos({ extra: { infos: [OLD_SUITE] } }), {}, 'warning', /^\/etc\/apt\/sources.list: old suite 'bookworm' configured!$/],
    ['an expired subscription, with its due date', repos({ status: 'expired', sub: { nextduedate: '2026-01-10' } }), {}, 'warning', /^the subscription is expired \(due 2026-01-10\)$/],
    ['an invalid subscription, with its message', repos({ status: 'invalid', sub: { message: 'Invalid Server ID' } }), {}, 'warning', /^the subscription is invalid \(Invalid Server ID\)$/],
    ['a suspended subscription', repos({ status: 'suspended', sub: { message: undefined } }), {}, 'warning', /^the subscription is suspended$/],
    ['a key not yet checked ("new") alone', repos({ status: 'new' }), {}, 'ok', /usual homelab setup/],
  ] as const)('%s', (_name, answer, options, result, message) => {
    const out = judgeRepos(answer, check(options));
    expect(out.result).toBe(result);
    expect(out.message).toMatch(message);
  });

  it('failing first, then the warnings, in one message; details carry the subscription and the enabled repositories', () => {
    const out = judgeRepos(repos({ enterprise: true, test: true, status: 'expired', sub: { nextduedate: '2026-01-10', level: 'c' } }), check());
    expect(out.result).toBe('fail');
    expect(out.message.split('; ')).toEqual([
      'the enterprise repository is enabled, but there is no active subscription (apt update fails with 401)',
      'the test repository is enabled: it may pull in unstable updates',
      'the subscription is expired (due 2026-01-10)',
    ]);
    expect(out.details).toEqual({ subscription: 'expired', repositories: 'enterprise, no-subscription, test', level: 'c', nextDue: '2026-01-10' });
    expect(judgeRepos(repos({ noSub: false }), check()).details).toMatchObject({ subscription: 'notfound', repositories: 'none' });
  });

  it('a repository configured but disabled, or not configured, counts as off', () => {
    const answer = repos({ noSub: false });
    answer.standard.push({ handle: 'no-subscription', name: 'No-Subscription' });
    expect(judgeRepos(answer, check()).result).toBe('warning');
  });
});
