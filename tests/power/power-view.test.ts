import { describe, expect, it } from 'vitest';
import { cardLayout, confirmText, powerButtons, transitionProgress } from '../../src/renderer/components/power/power-view';
import { actionAvailability, canStartFrom } from '../../src/shared/contract/power';
import { canStart } from '../../src/main/power/machine';

const ALL = { wake: true, suspend: true, hibernate: true, shutdown: true, reboot: true };

describe('card power buttons', () => {
  it('a sleeping server offers Wake; the SSH actions are shown disabled with the reason', () => {
    const buttons = powerButtons({ power: 'suspended', capabilities: ALL });
    expect(buttons.map((b) => [b.action, b.enabled])).toEqual([
      ['wake', true],
      ['suspend', false],
      ['hibernate', false],
      ['shutdown', false],
      ['reboot', false],
    ]);
    expect(buttons[1]?.reason).toBe('it is suspended');
  });

  it('a running server offers the SSH actions; destructive ones ask first', () => {
    const buttons = powerButtons({ power: 'on', capabilities: { ...ALL, hibernate: false } });
    expect(buttons.map((b) => b.action)).toEqual(['wake', 'suspend', 'shutdown', 'reboot']);
    expect(buttons.filter((b) => b.enabled).map((b) => b.action)).toEqual(['suspend', 'shutdown', 'reboot']);
    expect(buttons.filter((b) => b.confirm).map((b) => b.action)).toEqual(['shutdown', 'reboot']);
    expect(confirmText('shutdown', 'nas')).toMatch(/nas will power off/);
  });

  it('nothing can start while a command is in progress', () => {
    expect(powerButtons({ power: 'waking', capabilities: ALL }).every((b) => !b.enabled)).toBe(true);
    expect(actionAvailability({ power: 'waking', capabilities: ALL }).wake.reason).toBe('it is already waking');
  });

  it('the renderer and main use the one rule', () => {
    expect(canStart).toBe(canStartFrom);
  });

  it('progress is the share of the time budget, clamped', () => {
    expect(transitionProgress({ startedAt: 1000, deadline: 11_000 }, 6_000)).toBe(0.5);
    expect(transitionProgress({ startedAt: 1000, deadline: 11_000 }, 20_000)).toBe(1);
    expect(transitionProgress({ startedAt: 1000, deadline: 11_000 }, 0)).toBe(0);
  });
});

describe('card layout of the power buttons', () => {
  it('shows what can be done now: Wake on a sleeping card, Suspend and icons on a running one', () => {
    const asleep = cardLayout(powerButtons({ power: 'suspended', capabilities: ALL }));
    expect(asleep.primary?.action).toBe('wake');
    expect(asleep.icons).toEqual([]);
    const up = cardLayout(powerButtons({ power: 'on', capabilities: ALL }));
    expect(up.primary?.action).toBe('suspend');
    expect(up.icons.map((b) => b.action)).toEqual(['hibernate', 'shutdown', 'reboot']);
    const noSsh = cardLayout(powerButtons({ power: 'on', capabilities: { ...ALL, suspend: false, hibernate: false } }));
    expect(noSsh.primary).toBeUndefined();
    expect(noSsh.icons.map((b) => b.action)).toEqual(['shutdown', 'reboot']);
    expect(cardLayout(powerButtons({ power: 'waking', capabilities: ALL }))).toEqual({ icons: [] });
  });
});
