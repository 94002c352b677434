import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './paths';

/** Saves test-results/screenshots/<name>.png; animations are frozen so pictures are stable. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage: options.fullPage ?? false });
  return file;
}

/** The same state in the light and the dark theme: <name>-light.png and <name>-dark.png. */
export async function screenshotThemes(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string[]> {
  const files: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    files.push(await screenshot(page, `${name}-${colorScheme}`, options));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}
