import { afterEach, describe, expect, it, vi } from 'vitest';
import { CARDS_PER_FRAME, dropCardUpdate, queueCardUpdate } from '../../src/renderer/hooks/card-updates';

afterEach(() => {
  vi.useRealTimers();
});

describe('card updates are spread over frames', () => {
  it('applies a slice per frame, in the order cards were queued, each card once with its latest update', async () => {
    vi.useFakeTimers();
    const applied: string[] = [];
    const cards = Array.from({ length: CARDS_PER_FRAME * 2 + 3 }, (_, i) => ({ name: `card-${i}` }));
    for (const c of cards) queueCardUpdate(c, () => applied.push(`${c.name} v1`));
    // Queued again before its frame: keeps its place, runs once, with the newer update.
    queueCardUpdate(cards[0]!, () => applied.push('card-0 v2'));
    dropCardUpdate(cards[1]!);
    expect(applied).toEqual([]);
    await vi.advanceTimersToNextTimerAsync();
    expect(applied).toHaveLength(CARDS_PER_FRAME);
    expect(applied[0]).toBe('card-0 v2');
    expect(applied).not.toContain('card-1 v1');
    await vi.advanceTimersToNextTimerAsync();
    expect(applied).toHaveLength(CARDS_PER_FRAME * 2);
    await vi.advanceTimersToNextTimerAsync();
    expect(applied).toHaveLength(cards.length - 1);
    expect(applied.at(-1)).toBe(`card-${cards.length - 1} v1`);
    expect(vi.getTimerCount()).toBe(0);
  });
});
