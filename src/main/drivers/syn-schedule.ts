import fs from 'node:fs';
import { synRetriesMs } from '../inventory/watch';

/** One integer of /proc/sys, or undefined where it is missing (an older kernel) or unreadable. */
function sysctl(name: string): number | undefined {
  try {
    const value = Number.parseInt(fs.readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8'), 10);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When this Linux resends an unanswered SYN (inventory/watch.ts `synRetriesMs`), from its own
 * settings: a kernel since 6.5 resends the first ones a second apart (tcp_syn_linear_timeouts),
 * an older one has no such setting and doubles from the start. The watch holds a silent host's
 * connect open as long as these knocks leave no gap longer than its period.
 */
export function linuxSynRetriesMs(): readonly number[] {
  return synRetriesMs(sysctl('tcp_syn_linear_timeouts') ?? 0, sysctl('tcp_syn_retries') ?? 6);
}
