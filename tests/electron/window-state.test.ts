import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeWindow, readWindowState, windowStateFile, writeWindowState } from '../../src/main/faces/electron/window-state';

const screen = { x: 0, y: 0, width: 1920, height: 1040 };
const second = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('window placement', () => {
  it('reopens where it was when that is on a screen', () => {
    const saved = { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [screen])).toEqual(saved);
  });

  it('forgets a position on a monitor that is gone', () => {
    expect(placeWindow({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false }, [screen])).toBeUndefined();
    expect(placeWindow({ bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: true }, [screen, second])).toEqual({
      bounds: { x: 2000, y: 100, width: 1000, height: 700 },
      maximized: true,
    });
  });

  it('pulls a window hanging off the edge back in and shrinks it to the screen', () => {
    expect(placeWindow({ bounds: { x: 1800, y: -50, width: 2500, height: 900 }, maximized: false }, [screen])).toEqual({
      bounds: { x: 0, y: 0, width: 1920, height: 900 },
      maximized: false,
    });
  });

  it('ignores what is not a saved state', () => {
    expect(placeWindow(undefined, [screen])).toBeUndefined();
    expect(placeWindow({ bounds: { x: 'a' } }, [screen])).toBeUndefined();
    expect(placeWindow({ bounds: { x: 0, y: 0, width: -5, height: 10 } }, [screen])).toBeUndefined();
  });

  it('round-trips through its file and survives a corrupt one', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-ws-'));
    const file = windowStateFile(home);
    expect(readWindowState(file)).toBeUndefined();
    writeWindowState(file, { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
    expect(placeWindow(readWindowState(file), [screen])).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
    expect(fs.readdirSync(home)).toEqual(['window-state.json']);
    fs.writeFileSync(file, '{not json');
    expect(readWindowState(file)).toBeUndefined();
    fs.rmSync(home, { recursive: true, force: true });
  });
});
