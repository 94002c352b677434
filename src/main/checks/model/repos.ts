import type { CheckOf } from '../../../shared/contract/checks';
import type { NodeRepos } from '../../drivers/proxmox/repos';
import type { Outcome } from './state';

/**
 * A node's subscription and repositories judged the way Proxmox's own GUI warns about them
 * (proxmox-widget-toolkit's APT repositories panel), tuned for a homelab: the no-subscription
 * repository without a subscription is the normal setup there, so it is a note unless the check
 * asks for a warning. Pure.
 */

type Finding = { result: 'fail' | 'warning'; text: string };

/** Subscription states that mean a key was bought and is no longer good; notfound/new are a homelab's normal. */
const LAPSED = new Set(['expired', 'invalid', 'suspended']);

const PVE_HANDLES = ['enterprise', 'no-subscription', 'test'] as const;

export function judgeRepos(repos: NodeRepos, check: CheckOf<'repos'>): Outcome {
  const on = (handle: string) => repos.standard.some((r) => r.handle === handle && r.enabled === true);
  const sub = repos.subscription;
  const active = sub.status.toLowerCase() === 'active';
  const findings: Finding[] = [];

  for (const e of repos.errors) findings.push({ result: 'fail', text: `apt cannot parse ${e.path}: ${e.error.trim()}` });
  // apt update then fails on every run with 401: the node gets no updates at all.
  if (on('enterprise') && !active) findings.push({ result: 'fail', text: 'the enterprise repository is enabled, but there is no active subscription (apt update fails with 401)' });
  if (!PVE_HANDLES.some(on)) findings.push({ result: 'warning', text: 'no Proxmox VE repository is enabled: the node gets no updates' });
  if (on('test')) findings.push({ result: 'warning', text: 'the test repository is enabled: it may pull in unstable updates' });
  if (on('no-subscription') && check.noSubscriptionWarns) findings.push({ result: 'warning', text: 'the no-subscription repository is not recommended for production use' });
  for (const i of repos.infos) if (i.kind === 'warning') findings.push({ result: 'warning', text: `${i.path}: ${i.message.trim()}` });
  if (LAPSED.has(sub.status.toLowerCase())) {
    const why = sub.nextduedate ? `due ${sub.nextduedate}` : sub.message?.trim();
    findings.push({ result: 'warning', text: `the subscription is ${sub.status}${why ? ` (${why})` : ''}` });
  }

  const enabled = repos.standard.filter((r) => r.enabled === true).map((r) => r.handle);
  const details: Record<string, string | number> = { subscription: sub.status, repositories: enabled.length ? enabled.join(', ') : 'none' };
  if (sub.level) details.level = sub.level;
  if (sub.nextduedate) details.nextDue = sub.nextduedate;

  const fails = findings.filter((f) => f.result === 'fail');
  const warns = findings.filter((f) => f.result === 'warning');
  if (fails.length) return { result: 'fail', message: [...fails, ...warns].map((f) => f.text).join('; '), details };
  if (warns.length) return { result: 'warning', message: warns.map((f) => f.text).join('; '), details };
  return { result: 'ok', message: okMessage(on, active), details };
}

function okMessage(on: (handle: string) => boolean, active: boolean): string {
  if (on('enterprise') && active) return 'enterprise repository with an active subscription';
  if (on('no-subscription')) return 'updates from the no-subscription repository (the usual homelab setup; not recommended for production)';
  return 'Proxmox VE updates are configured';
}
