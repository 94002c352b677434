import { describe, expect, it } from 'vitest';
import { ENGINE_HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/main/base/heap-growth';

/** `rackdeck serve` bounds its heap's growth between full collections (docs/PERFORMANCE.md, memory), unless node was started with a choice of its own. */
describe('the engine process heap growth', () => {
  it('asks V8 for a growth of 30 % past what survived, not its default of up to 4×', () => {
    expect(ENGINE_HEAP_GROWING_PERCENT).toBe(30);
    expect(heapGrowthFlag([])).toBe('--heap-growing-percent=30');
    expect(heapGrowthFlag(['--max-old-space-size=4096', '--enable-source-maps'])).toBe('--heap-growing-percent=30');
  });

  it('leaves the heap growth to whoever started node with one of their own, in either spelling', () => {
    expect(heapGrowthFlag(['--heap-growing-percent=100'])).toBeUndefined();
    expect(heapGrowthFlag(['--heap_growing_percent=5'])).toBeUndefined();
    expect(heapGrowthFlag(['--heap-growing-percent', '50'])).toBeUndefined();
  });
});
