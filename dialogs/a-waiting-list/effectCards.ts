import { A_CARDS, A_RECORDS } from '../../routines/a-waiting-list/decisions';
import type { CardRenderers, RecordWriters } from '../outboxRelay';
import type { Stores } from '../../storage';
import type { WaitingListService } from './service';
import { renderMessageCard } from '../../cards/message';
import { renderActionMessageCard } from '../../cards/actionMessage';
import { A_PLACES_CARDS } from '../../routines/a-waiting-list/places';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';

/** The cards routine A's decisions send or refresh, by kind (see routines/a-waiting-list/decisions.ts). */
export function waitingListCards(service: WaitingListService): CardRenderers {
  return {
    [A_CARDS.offerCard]: {
      prepare: (data) => service.offerCardFor(String(data['providerId']), String(data['entryId'])),
      render: async (data, t, personId, viewer, prepared) => {
        const p = prepared as Awaited<ReturnType<WaitingListService['offerCardFor']>>;
        if (!p) throw new Error(`entry ${String(data['entryId'])} has left the queue`);
        const who = viewer ?? { id: personId, name: '', roles: [] };
        return { card: await service.offerCard(p.provider, p.entry, who, false, t, p.caseFile), summary: t.a.offerTitle(p.provider.name) };
      },
      remember: (data, sent) => service.rememberCards(String(data['providerId']), String(data['entryId']), [...sent]),
    },
    [A_CARDS.queuedCard]: {
      prepare: (data) => service.caseFileOf(String(data['caseId'])),
      render: (data, t, _personId, _viewer, prepared) => {
        const c = prepared as CaseFile | undefined;
        const label = (c ? caseLabelFor(c, { kind: 'provider' }).reference : null) ?? t.a.protectedCase;
        const name = String(data['providerName'] ?? '');
        return {
          card: renderMessageCard({
            title: t.a.providerQueueTitle,
            text: t.a.providerQueueText(name),
            facts: [
              { title: t.a.caseLabel, value: label },
              { title: t.a.requestDate, value: String(data['requestDate']) },
              { title: t.a.position, value: String(data['position']) },
            ],
          }),
          summary: t.a.providerQueueTitle,
        };
      },
    },
    [A_CARDS.offerEndedCards]: {
      refresh: (data, except) => service.showOfferEnded(String(data['providerId']), String(data['entryId']), except),
    },
    [A_CARDS.offerLeftCards]: {
      refresh: (data, except) => service.showOfferEnded(String(data['providerId']), String(data['entryId']), except),
    },
    [A_CARDS.assignmentCard]: {
      prepare: (data) => service.caseFileOf(String(data['caseId'])),
      render: (data, t, _personId, _viewer, prepared) => {
        const c = prepared as CaseFile | undefined;
        const label = (c ? caseLabelFor(c, { kind: 'provider' }).reference : null) ?? t.a.protectedCase;
        const name = String(data['providerName'] ?? '');
        return { card: renderMessageCard({ title: t.a.assignmentTitle, text: t.a.assignmentText(name), tone: 'good', facts: [{ title: t.a.caseLabel, value: label }] }), summary: t.a.assignmentTitle };
      },
    },
    [A_CARDS.entryLeftCard]: {
      render: (data, t) => ({ card: renderMessageCard({ title: t.a.entryLeftTitle, text: t.a.entryLeftText(String(data['providerName'] ?? '')) }), summary: t.a.entryLeftTitle }),
    },
    [A_PLACES_CARDS.placesReport]: {
      render: (data, t) => {
        const name = String(data['providerName'] ?? '');
        const places = Number(data['places']);
        const kind = String(data['providerKind'] ?? '');
        return {
          card: renderActionMessageCard({
            title: t.a.placesReportTitle(name),
            text: t.a.placesReportText(name, places, t.a.providerKinds[kind] ?? kind),
            button: { verb: 'a.places.forward', title: t.a.forwardToTid, data: { providerId: String(data['providerId']), places, reportId: String(data['reportId']) } },
          }),
          summary: t.a.placesReportTitle(name),
        };
      },
    },
    [A_PLACES_CARDS.registerPlaces]: {
      render: (data, t) => {
        const name = String(data['providerName'] ?? '');
        const places = Number(data['places']);
        const reportId = String(data['reportId'] ?? '');
        return {
          card: renderActionMessageCard({
            title: t.a.registerTitle(name),
            text: t.a.registerText(name, places, String(data['forwarderName'] ?? '')),
            button: { verb: 'a.places.register', title: t.a.registerButton(places), data: { providerId: String(data['providerId']), places, ...(reportId ? { reportId } : {}) } },
          }),
          summary: t.a.registerTitle(name),
        };
      },
    },
    [A_PLACES_CARDS.availabilityReport]: {
      render: (data, t) => {
        const name = String(data['providerName'] ?? '');
        const reported = String(data['reported']);
        return {
          card: renderMessageCard({ title: t.a.availabilityReportTitle(name), text: t.a.availabilityReportText(name, t.a.status[reported] ?? reported, t.a.status[String(data['derived'])] ?? '') }),
          summary: t.a.availabilityReportTitle(name),
        };
      },
    },
    [A_CARDS.offerCards]: {
      refresh: (data, except) => service.refreshOfferCards(String(data['providerId']), String(data['entryId']), except),
    },
  };
}

/** The rows routine A's decisions keep beside a queue, by kind (see A_RECORDS): each write idempotent. */
export function waitingListRecords(stores: Pick<Stores, 'waitingList'>, service: WaitingListService): RecordWriters {
  return {
    // The next offer is a step of its own: nothing when there is nothing to offer (so doing this twice is a no-op).
    [A_RECORDS.offerNext]: async (d) => void (await service.offerNext(String(d['providerId']))),
    [A_RECORDS.caseIndex]: (d) => stores.waitingList.indexCase(String(d['caseId']), String(d['providerId']), String(d['entryId']), new Date(String(d['at']))),
    [A_RECORDS.caseIndexRelease]: (d) => stores.waitingList.releaseCaseIndex(String(d['caseId']), String(d['providerId'])),
    [A_RECORDS.caseReference]: (d) => stores.waitingList.indexCaseReference(String(d['reference']), String(d['caseId']), String(d['unit']) as never),
  };
}
