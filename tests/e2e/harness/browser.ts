import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Cleanup } from './cleanup';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(cleanup: Cleanup): Promise<Browser> {
  const executablePath = process.env.RACKDECK_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium or set RACKDECK_CHROMIUM`);
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  cleanup.add('close the browser', () => browser.close());
  return browser;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors and console errors the page reported, for tests to assert none. */
  errors: string[];
}

/** A fresh context (own sessionStorage, so a token never leaks between tests) and page. */
export async function newAppPage(browser: Browser, cleanup: Cleanup, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 860 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'no-preference',
  });
  cleanup.add('close the browser context', () => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, context, errors };
}
