import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), never a browser downloaded by Playwright:
 * CHROMIUM_PATH when set, else `chromium` on the PATH, else /usr/bin/chromium.
 */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // not on the PATH: fall through to Debian's location
  }
  return '/usr/bin/chromium';
}

/**
 * Flags for a closed network and a root user: no sandbox (root), no GPU, and no background
 * connections (Chromium's own update, sync and QUIC probes are refused here, many at a time).
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh, empty profile (user data dir) that is removed on close. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}. Install Debian's: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'gbg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
