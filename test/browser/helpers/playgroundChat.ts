import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** How long a person waits for the bot's answer before the test calls it missing. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * One person's chat in the Agents Playground web UI (0.2.28), driven the way a person uses it:
 * typing into the chat box, pressing buttons on cards, filling card inputs by their labels.
 * Selectors are the Playground's own: each bot message is a `.fai-OutputCard`, an Adaptive Card
 * inside it is rendered by the adaptivecards renderer (`.ac-adaptiveCard`) with Fluent UI inputs.
 */
export class PlaygroundChat {
  private constructor(
    readonly page: Page,
    readonly who: string,
  ) {}

  /**
   * Opens the Playground. It installs the bot, which greets with the menu card; if that greeting
   * does not show (it can arrive before the page listens), the person types `meny`, as README says.
   */
  static async open(context: BrowserContext, url: string, who: string): Promise<PlaygroundChat> {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const chat = new PlaygroundChat(page, who);
    await chat.chatBox().waitFor({ timeout: ANSWER_TIMEOUT_MS });
    const greeting = chat.botMessages().filter({ hasText: `Hej ${who}!` });
    const greeted = await greeting
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!greeted) await chat.say('meny');
    await chat.botMessage(`Hej ${who}!`);
    return chat;
  }

  private chatBox(): Locator {
    return this.page.locator('[data-lexical-editor="true"][role="textbox"]');
  }

  /** Every message of the bot, oldest first. */
  botMessages(): Locator {
    return this.page.locator('.fai-OutputCard');
  }

  /** Waits for the latest bot message containing `text` (a card or a plain message) and returns it. */
  async botMessage(text: string | RegExp): Promise<Locator> {
    const m = this.botMessages().filter({ hasText: text }).last();
    await m.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    return m;
  }

  /** Waits for the latest Adaptive Card containing `text` and returns it. */
  async card(text: string | RegExp): Promise<Locator> {
    const c = this.page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await c.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    return c;
  }

  /** Types into the chat box and sends, as a person does. */
  async say(text: string): Promise<void> {
    await this.chatBox().click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Presses a button of a card. */
  async press(card: Locator, button: string | RegExp): Promise<void> {
    await card.getByRole('button', { name: button }).click();
  }

  async fill(card: Locator, label: string | RegExp, value: string): Promise<void> {
    await card.getByRole('textbox', { name: label }).fill(value);
  }

  /** Picks an option of a compact choice set (a Fluent combobox; its list opens outside the card). */
  async choose(card: Locator, label: string | RegExp, option: string | RegExp): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  async pickRadio(card: Locator, option: string): Promise<void> {
    await card.getByRole('radio', { name: option, exact: true }).check();
  }

  async tick(card: Locator, label: string | RegExp): Promise<void> {
    await card.getByRole('checkbox', { name: label }).check();
  }

  /**
   * Saves a PNG of the chat column from the top of `from` to the bottom of `to` (the messages a
   * person reads together), at most `maxHeight` pixels, so the images stay small.
   */
  async screenshot(dir: string, name: string, from: Locator, to: Locator = from, maxHeight = 760): Promise<string> {
    await to.scrollIntoViewIfNeeded();
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error(`nothing visible to photograph for ${name}`);
    const top = Math.max(0, Math.min(a.y, b.y) - 36);
    const bottom = Math.max(a.y + a.height, b.y + b.height) + 12;
    const left = Math.max(0, Math.min(a.x, b.x) - 72);
    const right = Math.max(a.x + a.width, b.x + b.width) + 16;
    const height = Math.min(bottom - top, maxHeight);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await this.page.screenshot({ path: file, clip: { x: left, y: bottom - height, width: right - left, height } });
    return file;
  }
}
