import Holidays from 'date-holidays';

/**
 * Calendar arithmetic for deadlines, in the Europe/Stockholm calendar. Dates are ISO calendar
 * dates (`YYYY-MM-DD`); instants are `Date`s passed in by the caller (no clock is read here).
 *
 * Non-working days: Saturdays, Sundays, Swedish public holidays from the maintained
 * `date-holidays` library, and the three eves Swedish employers treat as holidays (midsommarafton,
 * julafton, nyårsafton — "de facto helgdagar", which date-holidays lists as non-public types).
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const EVES = /^(midsommarafton|julafton|nyårsafton)$/i;

/** Pure results cached per year: building the holiday list is the slow part. */
const holidayCache = new Map<number, ReadonlySet<IsoDate>>();
let holidays: Holidays | undefined;

function nonWorkingHolidays(year: number): ReadonlySet<IsoDate> {
  let set = holidayCache.get(year);
  if (!set) {
    holidays ??= new Holidays('SE');
    set = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public' || EVES.test(h.name))
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, set);
  }
  return set;
}

function parse(d: IsoDate): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not an ISO date: ${d}`);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
}
function format(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Stockholm calendar date of an instant (right around midnight and across DST). */
export function toIsoDate(instant: Date, timeZone = 'Europe/Stockholm'): IsoDate {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  return format(parse(d) + n * DAY_MS);
}

/** Adds months, clamping to the month's end (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(d: IsoDate, n: number): IsoDate {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + n;
  const day = Number(d.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return format(Date.UTC(year, month, Math.min(day, last)));
}

export function addYears(d: IsoDate, n: number): IsoDate {
  return addMonths(d, 12 * n);
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((parse(b) - parse(a)) / DAY_MS);
}

export function isWorkingDay(d: IsoDate): boolean {
  const weekday = new Date(parse(d)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !nonWorkingHolidays(Number(d.slice(0, 4))).has(d);
}

/**
 * Moves n working days from d: n > 0 forwards, n < 0 backwards (for "2 working days before").
 * n = 0 returns d itself when it is a working day, otherwise the next working day.
 */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  let cur = d;
  if (n === 0) {
    while (!isWorkingDay(cur)) cur = addCalendarDays(cur, 1);
    return cur;
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    cur = addCalendarDays(cur, step);
    if (isWorkingDay(cur)) left--;
  }
  return cur;
}

/**
 * The last working day on or before d: for a deadline the seed words "senast …" / "inom …"
 * ("no later than", "within"), so that moving it off a weekend or holiday never gives more time
 * than the seed allows (a follow-up due on juldagen 2026-12-25 is due on 2026-12-23).
 */
export function lastWorkingDayOnOrBefore(d: IsoDate): IsoDate {
  let cur = d;
  while (!isWorkingDay(cur)) cur = addCalendarDays(cur, -1);
  return cur;
}

/** The first working day on or after d: for a day something starts or is first asked for (a prompt, a reminder). */
export function nextWorkingDayOnOrAfter(d: IsoDate): IsoDate {
  return addWorkingDays(d, 0);
}

/** Working days after a up to and including b (0 when b ≤ a). */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  let count = 0;
  for (let cur = addCalendarDays(a, 1); cur <= b; cur = addCalendarDays(cur, 1)) if (isWorkingDay(cur)) count++;
  return count;
}
