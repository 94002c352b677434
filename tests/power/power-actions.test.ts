/**
 * The page's first paint reads the power words, the start rule and the health words from zod-free
 * modules (shared/power-actions, shared/health-labels); main and the CLI read them through the
 * contract. They must be the very same values, not copies that could drift apart: the card's
 * buttons and main's refusals are one rule.
 */
import { describe, expect, it } from 'vitest';
import * as contractPower from '../../src/shared/contract/power';
import * as contractAgents from '../../src/shared/contract/agents';
import * as zodFree from '../../src/shared/power-actions';
import * as healthLabels from '../../src/shared/health-labels';
import { POWER_ACTIONS } from '../../src/shared/power';
import { POWER_ACTIONS as SERVER_POWER_ACTIONS } from '../../src/shared/server';

describe('the first paint’s zod-free power and health words', () => {
  it('are the contract’s own, not copies', () => {
    expect(SERVER_POWER_ACTIONS).toBe(POWER_ACTIONS);
    expect(contractPower.ACTION_LABELS).toBe(zodFree.ACTION_LABELS);
    expect(contractPower.CONFIRM_ACTIONS).toBe(zodFree.CONFIRM_ACTIONS);
    expect(contractPower.canStartFrom).toBe(zodFree.canStartFrom);
    expect(contractPower.actionAvailability).toBe(zodFree.actionAvailability);
    expect(contractAgents.HEALTH_STATES).toBe(healthLabels.HEALTH_STATES);
    expect(contractAgents.HEALTH_LABELS).toBe(healthLabels.HEALTH_LABELS);
  });

  it('refuse a second wake and a power-down of a host whose state is not known', () => {
    expect(zodFree.canStartFrom('on', 'wake')).toEqual({ ok: false, reason: 'it is already on' });
    expect(zodFree.canStartFrom('unknown', 'shutdown')).toEqual({ ok: false, reason: 'its state is not known yet' });
    expect(zodFree.actionAvailability({ power: 'off', capabilities: { wake: false, suspend: true, hibernate: true, shutdown: true, reboot: true } }).wake)
      .toEqual({ enabled: false, reason: 'set its MAC address (or a custom wake command) first' });
  });
});
