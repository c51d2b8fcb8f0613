import { strict as assert } from 'node:assert';
import { addMonths, addWorkingDays, daysBetween, isWorkingDay, lastWorkingDayOnOrBefore, nextWorkingDayOnOrAfter, toIsoDate, workingDaysBetween } from '../../routines/shared/workingDays';

describe('working days (weekends and Swedish holidays)', () => {
  const nonWorking: Array<[string, string]> = [
    ['2026-11-21', 'Saturday'],
    ['2026-11-22', 'Sunday'],
    ['2026-01-01', 'New Year'],
    ['2026-01-06', 'Epiphany'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2027-03-26', 'Good Friday 2027'],
    ['2027-03-29', 'Easter Monday 2027'],
    ['2026-05-01', 'May Day'],
    ['2026-05-14', 'Ascension Day'],
    ['2026-06-19', 'Midsummer Eve'],
    ['2026-12-24', 'Christmas Eve'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-31', "New Year's Eve"],
  ];
  for (const [d, what] of nonWorking) it(`${d} (${what}) is not a working day`, () => assert.equal(isWorkingDay(d), false));
  const working: Array<[string, string]> = [
    ['2026-11-23', 'an ordinary Monday'],
    ['2026-04-02', 'Maundy Thursday'],
    ['2026-06-18', 'the day before Midsummer Eve'],
    ['2026-12-23', 'the day before Christmas Eve'],
  ];
  for (const [d, what] of working) it(`${d} (${what}) is a working day`, () => assert.equal(isWorkingDay(d), true));

  const moves: Array<[string, number, string]> = [
    ['2026-11-20', 1, '2026-11-23'], // Friday → Monday
    ['2026-12-22', 2, '2026-12-28'], // over Christmas Eve, Day, Boxing Day and the weekend
    ['2026-12-30', 1, '2027-01-04'], // New Year's Eve, New Year's Day, weekend
    ['2026-04-07', -2, '2026-04-01'], // back over Easter Monday and Good Friday
    ['2026-11-22', 0, '2026-11-23'], // Sunday, zero days → next working day
    ['2026-11-23', 0, '2026-11-23'],
    ['2026-06-22', -2, '2026-06-17'], // back over midsummer
  ];
  for (const [from, n, to] of moves) it(`${from} + ${n} working days = ${to}`, () => assert.equal(addWorkingDays(from, n), to));

  it('counts working days between two dates', () => {
    assert.equal(workingDaysBetween('2026-12-21', '2026-12-31'), 5);
    assert.equal(workingDaysBetween('2026-11-23', '2026-11-23'), 0);
  });
  it('takes the Stockholm calendar date of an instant, also around midnight and DST', () => {
    assert.equal(toIsoDate(new Date('2026-11-22T23:30:00Z')), '2026-11-23');
    assert.equal(toIsoDate(new Date('2026-11-22T22:59:59Z')), '2026-11-22');
    assert.equal(toIsoDate(new Date('2026-03-28T23:30:00Z')), '2026-03-29'); // DST starts this night (UTC+1)
    assert.equal(toIsoDate(new Date('2026-06-30T22:30:00Z')), '2026-07-01'); // summer time, UTC+2
  });
  it('adds months clamping to the end of the month, and counts calendar days', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
    assert.equal(addMonths('2026-05-15', 12), '2027-05-15');
    assert.equal(daysBetween('2026-11-22', '2026-12-06'), 14);
  });
});

describe('moving a deadline onto a working day', () => {
  const back: Array<[string, string, string]> = [
    ['2026-12-25', '2026-12-23', 'juldagen, julafton before it'],
    ['2026-12-27', '2026-12-23', 'the Sunday after Christmas'],
    ['2027-01-01', '2026-12-30', 'nyårsdagen, nyårsafton before it'],
    ['2026-04-06', '2026-04-02', 'annandag påsk, back over Easter and långfredagen'],
    ['2026-06-20', '2026-06-18', 'midsommardagen, midsommarafton before it'],
    ['2026-02-28', '2026-02-27', 'a month end on a Saturday'],
    ['2026-11-30', '2026-11-30', 'a working day stays'],
  ];
  for (const [d, to, why] of back) it(`the last working day on or before ${d} (${why}) is ${to}`, () => assert.equal(lastWorkingDayOnOrBefore(d), to));
  const forward: Array<[string, string, string]> = [
    ['2026-12-24', '2026-12-28', 'julafton → the Monday after Christmas'],
    ['2026-04-03', '2026-04-07', 'långfredagen → the Tuesday after Easter'],
    ['2026-06-19', '2026-06-22', 'midsommarafton → Monday'],
    ['2026-10-31', '2026-11-02', 'a month end on a Saturday (alla helgons dag)'],
    ['2026-11-30', '2026-11-30', 'a working day stays'],
  ];
  for (const [d, to, why] of forward) it(`the first working day on or after ${d} (${why}) is ${to}`, () => assert.equal(nextWorkingDayOnOrAfter(d), to));
});
