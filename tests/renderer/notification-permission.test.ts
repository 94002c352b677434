import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the top bar's notification permission (hooks/useNotificationPermission.ts)", () => {
  it('is read in a task of its own as the page starts, not by the first render after the snapshot', async () => {
    vi.useFakeTimers();
    let reads = 0;
    vi.stubGlobal('window', {});
    vi.stubGlobal('Notification', {
      get permission() {
        reads += 1;
        return 'default';
      },
    });
    const { readPermissionSoon, useNotificationPermission } = await import('../../src/renderer/hooks/useNotificationPermission');
    function Shown() {
      return createElement('span', null, useNotificationPermission().permission);
    }
    readPermissionSoon();
    expect(reads).toBe(0);
    vi.runAllTimers();
    expect(reads).toBe(1);
    // The first render takes what was read; a later one (the button mounted again) reads afresh.
    expect(renderToString(createElement(Shown))).toBe('<span>default</span>');
    expect(reads).toBe(1);
    expect(renderToString(createElement(Shown))).toBe('<span>default</span>');
    expect(reads).toBe(2);
  });
});
