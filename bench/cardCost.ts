import { A_ACTIONS, renderActionsCard, renderJoinCard } from '../cards/a-waiting-list/forms';
import { renderOfferCard } from '../cards/a-waiting-list/offer';
import { renderMenuCard } from '../cards/menu';
import { texts } from '../locale';

/**
 * What expanding one card costs (ms, mean of many, in this process): the menu, a form with ten
 * choices, the join form with 8 and with 60 providers, the offer card. cards/expand.ts prepares
 * each template once (adaptivecards-templating parses a template's expressions when the Template
 * is constructed, and the prepared Template is kept per template), so this is evaluation only.
 */
export function measureCardCost(quick: boolean): Record<string, number> {
  const sv = texts('sv-SE');
  const providers = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Verksamhet ${i} (2 platser, 3 väntar)`, value: `p-${i}` }));
  const cards: Record<string, () => unknown> = {
    menu: () => renderMenuCard({ greeting: 'Hej Anna', intro: sv.menuIntro, openLabel: 'Öppna', notAvailableLabel: '–', routines: ['A', 'B', 'C', 'D'].map((id) => ({ id, name: `Rutin ${id}`, description: 'Beskrivning av rutinen', available: true })), extras: [{ id: 'tasks', title: 'Mina uppgifter' }] }),
    'A: actions form (10 choices)': () => renderActionsCard(sv, { formId: 'f', error: '', actions: [...A_ACTIONS] }),
    'A: join form, 8 providers': () => renderJoinCard(sv, { formId: 'f', error: '', providers: providers(8), today: '2026-12-02' }),
    'A: join form, 60 providers': () => renderJoinCard(sv, { formId: 'f', error: '', providers: providers(60), today: '2026-12-02' }),
    'A: offer card': () => renderOfferCard(sv, { providerId: 'solrosen', entryId: 'e1', providerName: 'Solrosen Daglig Verksamhet AB', caseLabel: 'R-1 (AB)', requestDate: '2026-11-02', waitingDays: 30, takenByName: '', notReachedCount: 0 }),
  };
  const n = quick ? 300 : 2000;
  const out: Record<string, number> = {};
  for (const [name, render] of Object.entries(cards)) {
    for (let i = 0; i < 100; i++) render();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) render();
    out[name] = Math.round(((performance.now() - t0) / n) * 1000) / 1000;
  }
  return out;
}
