import { randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import type { Person } from './activities';
import type { RunningBot } from './app';
import { cardActions, cardTexts } from './connector';

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

/** Drives a person through cards the way Teams would: finds the newest form and submits it. */
export class Chat {
  constructor(
    readonly bot: RunningBot,
    readonly person: Person,
  ) {}

  get conversationId(): string {
    return this.bot.channel.conversationOf(this.person);
  }

  sent() {
    return this.bot.connector.to(this.conversationId);
  }

  /** Texts of everything sent to this person since index `from`. */
  textsSince(from: number): string[] {
    return this.sent()
      .slice(from)
      .flatMap((s) => [s.activity.text ?? '', ...cardTexts(s.activity.attachments?.[0]?.content)]);
  }

  async say(text: string): Promise<number> {
    const before = this.sent().length;
    const res = await this.bot.post(this.bot.channel.message(this.person, text));
    assert.equal(res.status, 200);
    return before;
  }

  async pick(value: Record<string, unknown>): Promise<number> {
    const before = this.sent().length;
    const res = await this.bot.post(this.bot.channel.submit(this.person, value));
    assert.equal(res.status, 200);
    return before;
  }

  /** The form id of the newest form card in this conversation. */
  lastFormId(): string {
    for (const s of [...this.sent()].reverse()) {
      const a = cardActions(s.activity.attachments?.[0]?.content).find((x) => x.verb === 'form.submit');
      if (a?.data?.formId) return a.data.formId as string;
    }
    throw new Error(`no form card sent to ${this.person.name}`);
  }

  /** Submits the newest form with `data`; returns the invoke response card's texts. */
  async submit(data: Record<string, unknown>): Promise<{ texts: string[]; card: Record<string, unknown>; before: number }> {
    const before = this.sent().length;
    const card = await this.press('form.submit', { formId: this.lastFormId(), ...data });
    return { texts: cardTexts(card), card, before };
  }

  async execute(verb: string, data: Record<string, unknown>): Promise<{ texts: string[]; card: Record<string, unknown> }> {
    const card = await this.press(verb, data);
    return { texts: cardTexts(card), card };
  }

  /**
   * Presses a button on a card (as Teams does: the invoke names the card's activity in replyToId)
   * and returns the card as it stands once the turn has ended: the invoke's answer, or the update
   * of the pressed card that followed it (a step answers first and reports its delivery after).
   */
  private async press(verb: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const replyToId = `pressed-${randomUUID()}`;
    const res = await this.bot.post({ ...this.bot.channel.execute(this.person, verb, data), replyToId });
    assert.equal(res.status, 200);
    const update = this.bot.connector.updated.filter((u) => u.activityId === replyToId).at(-1);
    return update?.activity.attachments?.[0]?.content ?? (res.body as InvokeBody).value;
  }
}

/** Presses the choice matching `re` on the newest choice card in a chat (a routine's menu or step list). */
export async function choose(c: Chat, re: RegExp) {
  const card = [...c.sent()].reverse().map((s) => s.activity.attachments?.[0]?.content).find((x) => cardActions(x).some((a) => typeof a.data?.action === 'string'));
  const choice = cardActions(card).find((a) => re.test(String(a.data?.action)));
  assert.ok(choice, `no choice ${re} in ${JSON.stringify(cardActions(card).map((a) => a.data?.action))}`);
  return c.submit({ action: choice.data!.action });
}

/** Opens a routine from the menu and presses the step matching `re`. */
export async function openStep(c: Chat, routine: 'A' | 'B' | 'C' | 'D', re: RegExp) {
  await c.pick({ menu: routine });
  return choose(c, re);
}
