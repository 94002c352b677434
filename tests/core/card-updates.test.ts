import { describe, expect, it } from 'vitest';
import { FrameQueue } from '../../src/renderer/lib/frame-queue';

describe('card updates are spread over frames (the queue under hooks/card-updates.ts)', () => {
  it('runs a slice per frame, in the order cards were queued, each card once with its latest update', () => {
    const frames: (() => void)[] = [];
    const slices: number[] = [];
    const applied: string[] = [];
    const queue = new FrameQueue(8, (run) => frames.push(run), (jobs) => {
      slices.push(jobs.length);
      jobs.forEach((job) => job());
    });
    const cards = Array.from({ length: 19 }, (_, i) => ({ name: `card-${i}` }));
    for (const c of cards) queue.queue(c, () => applied.push(`${c.name} v1`));
    // Queued again before its frame: keeps its place, runs once, with the newer update.
    queue.queue(cards[0]!, () => applied.push('card-0 v2'));
    queue.drop(cards[1]!);
    expect(applied).toEqual([]);
    expect(frames).toHaveLength(1);
    while (frames.length > 0) frames.shift()!();
    expect(slices).toEqual([8, 8, 2]);
    expect(applied[0]).toBe('card-0 v2');
    expect(applied).not.toContain('card-1 v1');
    expect(applied).toHaveLength(18);
    expect(applied.at(-1)).toBe('card-18 v1');
  });
});
