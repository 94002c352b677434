import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_STATES, trayIconFile } from '../../src/main/faces/electron/tray-state';

const root = path.resolve(import.meta.dirname, '../..');
const assets = path.join(root, 'assets');

/** Width, height, colour type and the alpha channel of an 8-bit RGBA PNG written by make-icons. */
function readPng(file: string) {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const alpha: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) alpha.push(raw[y * (1 + width * 4) + 1 + x * 4 + 3]!);
  return { width, height, colourType: buf[25], alpha };
}

describe('assets', () => {
  it('has the app icon at 512 and 256 px', () => {
    for (const size of [512, 256]) {
      const png = readPng(path.join(assets, 'icons', `${size}x${size}.png`));
      expect([png.width, png.height, png.colourType]).toEqual([size, size, 6]);
    }
  });

  it('has a tray icon for every state and platform, at 16 px and 32 px (@2x)', () => {
    for (const state of TRAY_STATES) {
      for (const platform of ['linux', 'win32', 'darwin'] as const) {
        const file = path.join(assets, trayIconFile(state, platform));
        expect(readPng(file)).toMatchObject({ width: 16, height: 16 });
        expect(readPng(file.replace(/\.png$/, '@2x.png'))).toMatchObject({ width: 32, height: 32 });
      }
    }
  });

  it('tells the states apart even in monochrome (template images differ in shape)', () => {
    const shapes = TRAY_STATES.map((s) => readPng(path.join(assets, trayIconFile(s, 'darwin'))).alpha.join(','));
    expect(new Set(shapes).size).toBe(TRAY_STATES.length);
  });
});

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema and says what was asked', async () => {
    const require = createRequire(import.meta.url);
    const yaml = require('js-yaml') as { load(text: string): unknown };
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    await validateConfiguration(config, new DebugLogger(false));
    expect(config).toMatchObject({
      appId: 'dev.rackdeck.app',
      productName: 'Rackdeck',
      asar: true,
      files: ['dist/**', 'package.json'],
      extraResources: [{ from: 'assets', to: 'assets' }],
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
  });
});
