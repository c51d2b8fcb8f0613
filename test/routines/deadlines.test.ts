import { strict as assert } from 'node:assert';
import { offerFollowUpDue } from '../../routines/a-waiting-list/rules';
import { approvalDue, invitationReplyDue } from '../../routines/d-coordinated-plan/rules';
import { isWorkingDay } from '../../routines/shared/workingDays';

/** Routines A and D count their deadlines in working days from the day of the step: always a working day. */
describe('deadlines of routines A and D (working days from the step)', () => {
  const cases: Array<[string, number, string, string]> = [
    ['2026-12-22', 5, '2027-01-04', 'over julafton, juldagen, annandag jul, nyårsafton and nyårsdagen'],
    ['2026-12-24', 1, '2026-12-28', 'a step on julafton counts from the next working day'],
    ['2026-04-01', 2, '2026-04-07', 'skärtorsdagen, then over långfredagen, Easter and annandag påsk'],
    ['2026-06-17', 2, '2026-06-22', 'over midsommarafton and the weekend'],
    ['2026-01-30', 5, '2026-02-06', 'over a month end'],
    ['2026-04-30', 1, '2026-05-04', 'over första maj and the weekend'],
  ];
  for (const [from, n, to, why] of cases) {
    it(`${n} working days from ${from} = ${to} (${why})`, () => {
      for (const f of [offerFollowUpDue, invitationReplyDue, approvalDue]) {
        assert.equal(f(from, n), to, f.name);
        assert.ok(isWorkingDay(f(from, n)));
      }
    });
  }
});
