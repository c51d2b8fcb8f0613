import { randomUUID } from 'node:crypto';

export interface Person {
  id: string;
  name: string;
}

/** Builds Teams activities as the Teams service (or the Agents Playground) would send them. */
export class TeamsChannel {
  constructor(
    readonly serviceUrl: string,
    readonly botId = '28:bot-id',
    readonly tenantId = '00000000-0000-0000-0000-0000000000aa',
  ) {}

  conversationOf(p: Person): string {
    return `a:personal-${p.id}`;
  }

  base(p: Person, locale = 'sv-SE') {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      locale,
      from: { id: `29:${p.id}`, name: p.name, aadObjectId: p.id },
      recipient: { id: this.botId, name: 'Rutinstöd' },
      conversation: { id: this.conversationOf(p), conversationType: 'personal', tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
    };
  }

  message(p: Person, text: string, locale?: string) {
    return { ...this.base(p, locale), type: 'message', text };
  }

  submit(p: Person, value: Record<string, unknown>, locale?: string) {
    return { ...this.base(p, locale), type: 'message', value };
  }

  execute(p: Person, verb: string, data: Record<string, unknown>, locale?: string) {
    return { ...this.base(p, locale), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
  }

  install(p: Person) {
    return { ...this.base(p), type: 'conversationUpdate', membersAdded: [{ id: this.botId }] };
  }
}
