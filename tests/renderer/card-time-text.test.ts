import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

describe("a card's time text (hooks/useNow.ts)", () => {
  it('is drawn with the time of its first render, not the time the page started, while no clock runs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { useCardTimeText } = await import('../../src/renderer/hooks/useNow');
    // The snapshot comes a while after the page's script ran: the first cards must not show that
    // older time (and be drawn a second time once their effects start the clock).
    vi.setSystemTime(1_007_000);
    function Shown() {
      return createElement('span', null, useCardTimeText((now) => `at ${now}`));
    }
    expect(renderToString(createElement(Shown))).toBe('<span>at 1007000</span>');
  });
});
