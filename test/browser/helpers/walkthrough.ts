import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { playgroundDataDir, startConfig, startLocalStack, type LocalStack } from '../../../scripts/lib/localStack';
import { startPlayground, type Playground } from '../../../scripts/lib/playground';
import { freePort } from '../../../scripts/lib/ports';
import { toIsoDate } from '../../../routines/shared/workingDays';
import { launchChromium, type HeadlessChromium } from './chromium';
import { PlaygroundChat } from './playgroundChat';

/** Where screenshots go: test-results/browser, or E2E_SCREENSHOT_DIR (docs/images refreshes those of docs/walkthroughs.md). */
export const SHOTS = path.resolve(process.env.E2E_SCREENSHOT_DIR ?? path.join('test-results', 'browser'));

export interface Walkthrough {
  stack(): LocalStack;
  /** Opens the named person's Playground in the browser (their chat greets them with the menu). */
  open(who: string): Promise<PlaygroundChat>;
}

/**
 * Registers the hooks of one walkthrough of docs/walkthroughs.md in the calling `describe`: the stack `npm start`
 * starts (Azurite in memory + demo data + the bot + the Agents Playground as `people[0]` — with
 * `firstIsDefaultUser`, exactly as `npm start` starts it, as the committed file's user — Swedish
 * answers), one more Playground per other person, as `npm run playground -- "Name"` starts it, and
 * headless Chromium. A failed test leaves a screenshot of every open chat beside the others, and
 * the steps after it are skipped.
 */
export function walkthrough(people: string[], opts: { firstIsDefaultUser?: boolean } = {}): Walkthrough {
  let dataDir = '';
  let stack: LocalStack | undefined;
  let chromium: HeadlessChromium | undefined;
  const playgrounds = new Map<string, Playground>();
  const chats = new Map<string, PlaygroundChat>();

  before(async function () {
    this.timeout(180_000);
    dataDir = mkdtempSync(path.join(tmpdir(), 'gbg-walkthrough-'));
    const config = startConfig({
      PORT: '0',
      AZURITE_PORT: String(await freePort()),
      PLAYGROUND_PORT: String(await freePort()),
      // `npm start` without PLAYGROUND_AS: the committed .m365agentsplayground.yml (Bertil Berg).
      ...(opts.firstIsDefaultUser ? {} : { PLAYGROUND_AS: people[0] }),
      LOCAL_DATA_DIR: path.join(dataDir, 'azurite'),
      SWEEP_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'error',
    });
    assert.equal(config.LOCALE_OVERRIDE, 'sv', 'npm start answers in Swedish in the Playground');
    stack = await startLocalStack(config, { azuriteInMemory: true, requirePlayground: true });
    playgrounds.set(people[0]!, stack.playground!);
    const others = await Promise.all(
      people.slice(1).map(async (who) => [who, startPlayground({ botUrl: stack!.botUrl, port: await freePort(), as: who, dataDir: playgroundDataDir(config) })] as const),
    );
    for (const [who, pg] of others) playgrounds.set(who, pg);
    const [browser] = await Promise.all([launchChromium(), ...others.map(([, pg]) => pg.ready())]);
    chromium = browser;
  });

  // Each step needs the one before: after a failure the rest are skipped (its screenshots show where).
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    const name = (this.currentTest.title.match(/[A-Za-z0-9]+/g) ?? ['test']).slice(0, 6).join('-');
    for (const chat of chats.values()) {
      await chat.page.screenshot({ path: path.join(SHOTS, `failed-${name}-${chat.who.split(' ')[0]}.png`), fullPage: true }).catch(() => undefined);
    }
  });

  after(async () => {
    await chromium?.close();
    // The Playgrounds started here are stopped by their own process (they may outlive a dead parent).
    for (const [who, pg] of playgrounds) if (who !== people[0]) await pg.stop();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    stack: () => stack!,
    async open(who) {
      const pg = playgrounds.get(who);
      if (!pg || !chromium) throw new Error(`${who} has no Playground in this walkthrough`);
      const chat = await PlaygroundChat.open(chromium.context, pg.url, who);
      chats.set(who, chat);
      return chat;
    },
  };
}

/** The ISO date `days` days before today in Gothenburg, as the bot counts (it refuses many dates in the future). */
export function daysAgo(days: number, now = new Date()): string {
  return toIsoDate(new Date(now.getTime() - days * 86_400_000));
}

/** The ISO date `days` days after today. */
export function daysAhead(days: number, now = new Date()): string {
  return daysAgo(-days, now);
}
