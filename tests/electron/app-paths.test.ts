import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPaths, desktopHome, flagValue, hasFlag } from '../../src/main/faces/electron/app-paths';
import { resolveHome } from '../../src/main/store/home';

const root = path.resolve('/opt/rackdeck');
const moduleUrl = pathToFileURL(path.join(root, 'dist', 'main', 'electron.mjs')).href;

describe('app paths', () => {
  it('finds the preload, the renderer and the assets beside the bundle', () => {
    const p = appPaths({ moduleUrl, packaged: false });
    expect(p.preload).toBe(path.join(root, 'dist', 'preload', 'preload.cjs'));
    expect(p.indexHtml).toBe(path.join(root, 'dist', 'renderer', 'index.html'));
    expect(p.indexUrl).toBe(pathToFileURL(p.indexHtml).href);
    expect(p.assets).toBe(path.join(root, 'assets'));
    expect(p.appIcon).toBe(path.join(root, 'assets', 'icons', '256x256.png'));
  });

  it('takes the assets from resources once packaged (extraResources)', () => {
    const resources = path.resolve('/opt/Rackdeck/resources');
    expect(appPaths({ moduleUrl, packaged: true, resourcesPath: resources }).assets).toBe(path.join(resources, 'assets'));
  });
});

describe('flags and home', () => {
  const argv = ['/usr/bin/electron', 'dist/main/electron.mjs', '--home', '/tmp/lab', '--hidden'];

  it('reads --name value and --name=value', () => {
    expect(flagValue(argv, 'home')).toBe('/tmp/lab');
    expect(flagValue(['x', '--home=/srv/r'], 'home')).toBe('/srv/r');
    expect(flagValue(['x'], 'home')).toBeUndefined();
    expect(hasFlag(argv, 'hidden')).toBe(true);
    expect(hasFlag(['x'], 'hidden')).toBe(false);
  });

  it('uses --home, then RACKDECK_HOME, then the folder every face shares', () => {
    expect(desktopHome(argv, { RACKDECK_HOME: '/env' })).toEqual({ home: path.resolve('/tmp/lab'), explicit: true });
    expect(desktopHome(['x'], { RACKDECK_HOME: '/env' })).toEqual({ home: path.resolve('/env'), explicit: true });
    expect(desktopHome(['x'], { XDG_CONFIG_HOME: '/home/me/.config' })).toEqual({ home: resolveHome({ env: { XDG_CONFIG_HOME: '/home/me/.config' } }), explicit: false });
  });
});
