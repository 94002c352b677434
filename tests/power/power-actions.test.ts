/**
 * The zod-free copies the page's cards read at first paint (shared/power-actions, shared/health-labels)
 * give the contract's answers: the same words, and the same verdict on every action from every
 * state with every set of capabilities. Until the contract re-exports them, this is what keeps
 * the card's buttons and main's refusals one rule.
 */
import { describe, expect, it } from 'vitest';
import * as contractPower from '../../src/shared/contract/power';
import * as contractAgents from '../../src/shared/contract/agents';
import * as zodFree from '../../src/shared/power-actions';
import * as healthLabels from '../../src/shared/health-labels';
import { POWER_ACTIONS, POWER_STATES } from '../../src/shared/power';
import { POWER_ACTIONS as SERVER_POWER_ACTIONS, type PowerCapabilities } from '../../src/shared/server';

/** Every set of capabilities (2^5), and none known. */
const CAPABILITY_SETS: (PowerCapabilities | undefined)[] = [
  undefined,
  ...Array.from({ length: 2 ** POWER_ACTIONS.length }, (_, bits) => Object.fromEntries(POWER_ACTIONS.map((a, i) => [a, (bits & (1 << i)) !== 0])) as PowerCapabilities),
];

describe('the first paint’s zod-free power and health words', () => {
  it('name the actions and the health states as the contract does', () => {
    expect(SERVER_POWER_ACTIONS).toBe(POWER_ACTIONS);
    expect(zodFree.ACTION_LABELS).toEqual(contractPower.ACTION_LABELS);
    expect(zodFree.CONFIRM_ACTIONS).toEqual(contractPower.CONFIRM_ACTIONS);
    expect(healthLabels.HEALTH_STATES).toEqual(contractAgents.HEALTH_STATES);
    expect(healthLabels.HEALTH_LABELS).toEqual(contractAgents.HEALTH_LABELS);
  });

  it('allow and refuse every action from every state as the contract (and so main) does', () => {
    for (const power of POWER_STATES) {
      for (const action of POWER_ACTIONS) expect(zodFree.canStartFrom(power, action)).toEqual(contractPower.canStartFrom(power, action));
      for (const capabilities of CAPABILITY_SETS) {
        const view = capabilities ? { power, capabilities } : { power };
        expect(zodFree.actionAvailability(view)).toEqual(contractPower.actionAvailability(view));
      }
    }
  });
});
