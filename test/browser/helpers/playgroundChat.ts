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

  /**
   * Does `action` and waits for a card containing `text` in a message that arrived after it (cards
   * with the same title from earlier turns stay in the chat, and a sent form is replaced in place),
   * and returns it.
   */
  async newCard(text: string | RegExp, action: () => Promise<void>): Promise<Locator> {
    const before = await this.botMessages().count();
    await action();
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const n = await this.botMessages().count();
      for (let i = n - 1; i >= before; i--) {
        const c = this.botMessages().nth(i).locator('.ac-adaptiveCard').filter({ hasText: text });
        if (await c.count()) return c.first();
      }
      if (Date.now() > deadline) throw new Error(`${this.who}: no new card with ${String(text)} within ${ANSWER_TIMEOUT_MS} ms`);
      await this.page.waitForTimeout(100);
    }
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

  /** Answers one question of several with the same options (an expanded choice set is a radio group named by its label). */
  async answer(card: Locator, question: string | RegExp, option: string): Promise<void> {
    await card.getByRole('radiogroup', { name: question }).getByRole('radio', { name: option, exact: true }).check();
  }

  /**
   * Enters a date (YYYY-MM-DD) in a card's date input. The Playground renders Input.Date as a
   * Fluent date picker (a combobox that accepts typed dates); leaving it with Tab commits the date.
   */
  async date(card: Locator, label: string | RegExp, isoDate: string): Promise<void> {
    const input = card.getByRole('combobox', { name: label });
    await input.fill(isoDate);
    await input.press('Tab');
  }

  /** Enters a time (HH:MM) in a card's time input, typed and committed with Tab like a date. */
  async time(card: Locator, label: string | RegExp, hhmm: string): Promise<void> {
    const input = card.getByRole('combobox', { name: label }).or(card.getByRole('textbox', { name: label }));
    await input.fill(hhmm);
    await input.press('Tab');
  }

  async number(card: Locator, label: string | RegExp, value: string): Promise<void> {
    await card.getByRole('spinbutton', { name: label }).fill(value);
  }

  async tick(card: Locator, label: string | RegExp): Promise<void> {
    await card.getByRole('checkbox', { name: label }).check();
  }

  /**
   * Saves a PNG of the chat column from the top of `from` to the bottom of `to` (the messages a
   * person reads together), at most `maxHeight` pixels, so the images stay small: the bottom part
   * when it is taller, or the top part with `keep: 'top'` (a long form's title and first inputs).
   */
  async screenshot(dir: string, name: string, from: Locator, to: Locator = from, maxHeight = 760, keep: 'top' | 'bottom' = 'bottom'): Promise<string> {
    if (keep === 'top') {
      // To the top of the chat column, with room for the sender line above the card.
      await from.evaluate((e) => {
        e.scrollIntoView({ block: 'start' });
        let p = e.parentElement;
        while (p && p.scrollHeight <= p.clientHeight) p = p.parentElement;
        if (p) p.scrollTop -= 48;
      });
    }
    else await to.scrollIntoViewIfNeeded();
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
    await this.page.screenshot({ path: file, clip: { x: left, y: keep === 'top' ? top : bottom - height, width: right - left, height } });
    return file;
  }
}
