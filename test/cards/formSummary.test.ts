import { strict as assert } from 'node:assert';
import { renderActionsCard, renderConsentCard, renderJoinCard } from '../../cards/a-waiting-list/forms';
import { EMPTY_REGISTER, renderRegisterCard, renderReviewCard } from '../../cards/b-plan-review/forms';
import { cFormFields, renderCForm } from '../../cards/c-kompetenscenter/forms';
import { renderStartCard } from '../../cards/d-coordinated-plan/forms';
import { renderFormSummary, summarizeForm } from '../../cards/formSummary';
import { texts } from '../../locale';
import { cardTexts } from '../helpers/connector';

const sv = texts('sv-SE');
const en = texts('en-US');
const form = { formId: 'f1', error: '' };
const providers = [
  { title: 'Solrosen Daglig Verksamhet AB (2 platser, 3 väntar)', value: 'solrosen' },
  { title: 'Ekbacken (ledig plats)', value: 'ekbacken' },
];
const join = (t = sv) => renderJoinCard(t, { ...form, providers, today: '2026-11-23' });
const joinValues = { formId: 'f1', reference: ' R-2026-117 ', initials: 'ab', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' };

describe('the summary a sent form is replaced by (cards/formSummary.ts)', () => {
  it('reads each field back by its label in the order of the form, the choice by its title, the toggle as Nej, the date as entered', () => {
    const s = summarizeForm(sv, join(), joinValues);
    assert.equal(s.title, sv.a.joinTitle);
    assert.deepEqual(s.fields, [
      { label: sv.a.reference, value: 'R-2026-117' },
      { label: sv.a.initials, value: 'ab' },
      { label: sv.a.protectedIdentity, value: 'Nej' },
      { label: sv.a.provider, value: 'Solrosen Daglig Verksamhet AB (2 platser, 3 väntar)' },
      { label: sv.a.requestDate, value: '2026-11-20' },
    ]);
  });

  it('in English: Yes/No and the English labels and choice titles', () => {
    const s = summarizeForm(en, join(en), { ...joinValues, protectedIdentity: 'true' });
    assert.equal(s.title, en.a.joinTitle);
    assert.deepEqual(
      s.fields.map((f) => [f.label, f.value]),
      [
        [en.a.reference, 'R-2026-117'],
        [en.a.initials, 'ab'],
        [en.a.protectedIdentity, 'Yes'],
        [en.a.provider, providers[0]!.title],
        [en.a.requestDate, '2026-11-20'],
      ],
    );
    const consent = summarizeForm(en, renderConsentCard(en, { ...form, step1: en.a.notSelectableInfo('Solrosen', 'full'), providerName: 'Solrosen', today: '2026-11-23' }), {
      formId: 'f1',
      consent: 'yes',
      givenBy: 'legalRepresentative',
      method: 'phone',
      givenAt: '2026-11-22',
      toldHowToRevoke: 'false',
    });
    assert.equal(consent.title, en.a.consentTitle, 'the heading, not the step-1 line above it');
    assert.deepEqual(
      consent.fields.map((f) => [f.label, f.value]),
      [
        [en.a.consentGiven, en.a.yes],
        [en.a.givenBy, en.a.givers.legalRepresentative],
        [en.a.method, en.a.methods.phone],
        [en.a.givenAt, '2026-11-22'],
        [en.a.toldHowToRevoke, 'No'],
      ],
    );
  });

  it('leaves out empty fields, submitted keys the form has no input for, and a choice the form did not offer', () => {
    const card = renderRegisterCard(sv, { ...form, providers, today: '2026-11-23', values: EMPTY_REGISTER });
    const s = summarizeForm(sv, card, {
      formId: 'f1',
      reference: 'ÄVO-1',
      initials: ' ',
      protectedIdentity: 'false',
      providerId: 'not-offered',
      decisionDate: '2026-10-20',
      executionDate: '2026-11-02',
      grantedHours: '12.5',
      previousPlan: 'never',
      lastPlanDate: '',
      secret: 'never shown',
    });
    assert.equal(s.title, sv.b.registerTitle);
    assert.deepEqual(
      s.fields.map((f) => [f.label, f.value]),
      [
        [sv.a.reference, 'ÄVO-1'],
        [sv.a.protectedIdentity, 'Nej'],
        [sv.b.decisionDate, '2026-10-20'],
        [sv.b.executionDate, '2026-11-02'],
        [sv.b.grantedHours, '12.5'],
        [sv.b.previousPlan, sv.b.never],
      ],
    );
    assert.ok(!JSON.stringify(s).includes('never shown') && !JSON.stringify(s).includes('not-offered'));
  });

  it('never shows a text that could be a personal identity number', () => {
    const s = summarizeForm(sv, join(), { ...joinValues, reference: 'R 19121212-1212' });
    assert.deepEqual(s.fields[0], { label: sv.a.reference, value: sv.formSummary.hidden });
    assert.ok(!JSON.stringify(renderFormSummary(sv, join(), { ...joinValues, reference: 'R 19121212-1212' }, { by: 'X', at: '2026-11-23T09:00:00Z' })).includes('1212'));
  });

  it('a form repeated per question (B review): each question by its own label, yes/no by its title, the comment when written', () => {
    const card = renderReviewCard(sv, { ...form, label: 'ÄVO-1 (KL)', round: 1, grantedHours: 12.5, providerNote: '' });
    const s = summarizeForm(sv, card, { formId: 'f1', q1: 'yes', c1: '', q2: 'no', c2: 'Tiden stämmer inte', allocatedHours: '10' });
    assert.deepEqual(
      s.fields.map((f) => [f.label, f.value]),
      [
        [`1. ${sv.b.questions.current}`, sv.b.yes],
        [`2. ${sv.b.questions.time}`, sv.b.no],
        [sv.b.commentFor(2), 'Tiden stämmer inte'],
        [sv.b.allocatedHours, '10'],
      ],
    );
  });

  it('a multi-select by the titles picked, and a C form (toggles by their own title, not the generic "Bekräfta")', () => {
    const start = renderStartCard(sv, { ...form, administrations: [{ title: 'FFS', value: 'ffs' }, { title: 'ÄVO', value: 'avo' }, { title: 'SF Centrum', value: 'sf-centrum' }] });
    const s = summarizeForm(sv, start, { formId: 'f1', others: 'ffs,sf-centrum', purpose: 'Syfte', needs: '', questions: 'Frågor', proposedTime: '30/11 kl 10', meetingForm: 'video', individualTakesPart: 'true' });
    assert.deepEqual(s.fields[0], { label: sv.d.others, value: 'FFS, SF Centrum' });
    assert.deepEqual(s.fields.at(-1), { label: sv.d.individualTakesPart, value: 'Ja' });
    assert.ok(!s.fields.some((f) => f.label === sv.d.needs), 'the empty field is left out');
    const c = renderCForm(sv, { ...form, title: sv.c.forms.decide ?? '', label: 'R-1 (AB)', intro: '', fields: cFormFields('decide', sv, undefined, '2026-11-23') });
    assert.deepEqual(summarizeForm(sv, c, { formId: 'f1', decisionDate: '2026-11-23', communicated: 'true' }), {
      title: sv.c.forms.decide,
      fields: [
        { label: sv.c.labels.decisionDate, value: '2026-11-23' },
        { label: sv.c.labels.communicated, value: 'Ja' },
      ],
    });
  });

  it('a card of choices: the choice pressed, by its title', () => {
    const s = summarizeForm(sv, renderActionsCard(sv, { ...form, actions: ['join', 'status'] }), { formId: 'f1', action: 'status' });
    assert.deepEqual(s, { title: sv.a.actionsTitle, fields: [{ label: sv.formSummary.chosen, value: sv.a.actions.status }] });
    assert.deepEqual(summarizeForm(en, renderActionsCard(en, { ...form, actions: ['join'] }), { formId: 'f1', action: 'join' }).fields, [{ label: 'Your choice', value: en.a.actions.join }]);
  });

  it('the card: "Mottaget", the form title, label and value of each field, then who sent it and when (sv and en)', () => {
    const card = renderFormSummary(sv, join(), joinValues, { by: 'Bertil Berg', at: '2026-11-23T09:05:00Z' }).content;
    assert.deepEqual(cardTexts(card), [
      'Mottaget',
      sv.a.joinTitle,
      sv.a.reference,
      'R-2026-117',
      sv.a.initials,
      'ab',
      sv.a.protectedIdentity,
      'Nej',
      sv.a.provider,
      providers[0]!.title,
      sv.a.requestDate,
      '2026-11-20',
      'Skickat av Bertil Berg 2026-11-23 10:05.',
    ]);
    assert.ok(!JSON.stringify(card).includes('Input.'), 'read-only: no inputs');
    assert.ok(!JSON.stringify(card).includes('"actions"'), 'read-only: no buttons');
    const english = cardTexts(renderFormSummary(en, join(en), joinValues, { by: 'Bertil Berg', at: '2026-11-23T09:05:00Z' }).content);
    assert.equal(english[0], 'Received');
    assert.ok(english.includes('No') && english.at(-1)!.startsWith('Sent by Bertil Berg at'), english.join(' | '));
  });

  it('keeps the lines of a multi-line text as lines', () => {
    const c = renderCForm(sv, { ...form, title: sv.c.forms.assign ?? '', label: '', intro: '', fields: cFormFields('assign', sv, undefined, '2026-11-23') });
    const card = renderFormSummary(sv, c, { formId: 'f1', needs: 'Behov', includes: 'Ingår', goals: 'Mål ett\nMål två' }, { by: 'A', at: '2026-11-23T09:00:00Z' }).content;
    assert.ok(cardTexts(card).includes('Mål ett\n\nMål två'), cardTexts(card).join(' | '));
  });
});
