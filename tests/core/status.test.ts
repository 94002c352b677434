import { describe, expect, it } from 'vitest';
import { noticeForPowerChange } from '../../src/main/inventory/notices';
import { initialRuntime, powerFromProbe, type RuntimeState } from '../../src/main/inventory/status';
import { POWER_STATES, type PowerState } from '../../src/shared/power';

const open = { openPorts: { '22': true } };
const closed = { openPorts: { '22': false }, error: 'connection refused' };
const rt = (power: PowerState): RuntimeState => ({ power, since: 1, openPorts: {} });

describe('powerFromProbe', () => {
  it('any open port means on, and records when it was seen', () => {
    const next = powerFromProbe(initialRuntime(0), { openPorts: { '22': false, '80': true } }, 100);
    expect(next).toMatchObject({ power: 'on', since: 100, lastSeen: 100 });
    expect(next.detail).toBeUndefined();
  });

  it('silence means off, with the reason, keeping the last time seen', () => {
    const on = powerFromProbe(initialRuntime(0), open, 100);
    const off = powerFromProbe(on, closed, 200);
    expect(off).toMatchObject({ power: 'off', since: 200, lastSeen: 100, detail: 'connection refused' });
  });

  it('keeps since when the state does not change', () => {
    const a = powerFromProbe(initialRuntime(0), open, 100);
    expect(powerFromProbe(a, open, 200).since).toBe(100);
  });

  it.each(['suspended', 'stopped'] as const)('a silent host that was %s stays so', (state) => {
    expect(powerFromProbe(rt(state), closed, 5).power).toBe(state);
  });

  it.each(['waking', 'suspending', 'stopping', 'rebooting'] as const)('a probe never ends the transitional state %s on its own', (state) => {
    expect(powerFromProbe(rt(state), open, 5).power).toBe(state);
    expect(powerFromProbe(rt(state), closed, 5).power).toBe(state);
  });

  it('every state answers a probe with a valid state', () => {
    for (const s of POWER_STATES) {
      for (const obs of [open, closed]) expect(POWER_STATES).toContain(powerFromProbe(rt(s), obs, 9).power);
    }
  });
});

describe('noticeForPowerChange', () => {
  const change = (from: PowerState, to: PowerState) => noticeForPowerChange({ serverId: 'x', serverName: 'nas', from, to, at: 1 });
  it('stays quiet about the first observation and non-changes', () => {
    for (const to of POWER_STATES) expect(change('unknown', to)).toBeNull();
    expect(change('on', 'on')).toBeNull();
  });
  it('warns when a running host goes down', () => {
    expect(change('on', 'off')).toMatchObject({ level: 'warning', title: 'nas went down', serverId: 'x' });
  });
  it('confirms asked-for transitions when they land', () => {
    expect(change('waking', 'on')?.level).toBe('success');
    expect(change('suspending', 'suspended')?.title).toBe('nas is asleep');
    expect(change('stopping', 'off')?.title).toBe('nas is off');
  });
  it('reports init failure as an error', () => {
    expect(change('on', 'init_failed')?.level).toBe('error');
  });
});
