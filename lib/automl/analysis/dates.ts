/**
 * Dates and date-times written as text, read to days since 1970-01-01 (UTC, fractional when a time
 * of day is given). Year first as ISO 8601 writes it (2024-03-05, 2024/03/05, with an optional
 * time "T13:45", " 13:45:10.5", and zone "Z" or "+02:00"), or with the year last, day or month
 * first (05/03/2024). Month names are not read.
 */
export type DateOrder = "ymd" | "dmy" | "mdy";

const TIME = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME}$`, "i");
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})${TIME}$`, "i");

const DAY_MS = 86_400_000;

/** The field's date as days since 1970-01-01, or NaN when it is not a valid date written in that order. */
export function parseDate(field: string, order: DateOrder): number {
  const text = field.trim();
  const match = (order === "ymd" ? YEAR_FIRST : YEAR_LAST).exec(text);
  if (!match) return Number.NaN;
  const [a, b, c] = [Number(match[1]), Number(match[3]), Number(match[4])];
  const [year, month, day] = order === "ymd" ? [a, b, c] : order === "dmy" ? [c, b, a] : [c, a, b];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  const [hours, minutes, seconds] = [Number(match[5] ?? 0), Number(match[6] ?? 0), Number(match[7] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return Number.NaN;
  const milliseconds = match[8] === undefined ? 0 : Number(`0.${match[8]}`) * 1000;
  return (Date.UTC(year, month - 1, day, hours, minutes, seconds) + milliseconds - zoneOffsetMs(match[9])) / DAY_MS;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const digits = zone.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (digits[0] === "-" ? -minutes : minutes) * 60_000;
}

/**
 * How a column writes its dates: the order that reads the most of its values. Day-first and
 * month-first dates differ only when a value's day is above 12; when none is, month first is
 * taken (`guessed`), as pandas and most spreadsheets read them.
 */
export function dateOrderOf(counts: ReadonlyMap<string, number>): { order: DateOrder; readable: number; guessed: boolean } {
  const readable: Record<DateOrder, number> = { ymd: 0, dmy: 0, mdy: 0 };
  for (const [value, count] of counts) {
    for (const order of ["ymd", "dmy", "mdy"] as const) {
      if (!Number.isNaN(parseDate(value, order))) readable[order] += count;
    }
  }
  const order = readable.ymd >= Math.max(readable.dmy, readable.mdy) ? "ymd" : readable.dmy > readable.mdy ? "dmy" : "mdy";
  return { order, readable: readable[order], guessed: order !== "ymd" && readable.dmy === readable.mdy };
}

/** What a model learns from a date: these parts of it, as numbers. */
export const DATE_PARTS = ["year", "month", "dayOfMonth", "dayOfWeek", "dayOfYear", "timeOfDay", "daysSince1970"] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export const DATE_PART_NAMES: Record<DatePart, string> = {
  year: "year",
  month: "month",
  dayOfMonth: "day of month",
  dayOfWeek: "day of week (Monday 1 to Sunday 7)",
  dayOfYear: "day of year",
  timeOfDay: "time of day (hours)",
  daysSince1970: "days since 1970-01-01",
};

/** One part of a date given as days since 1970-01-01 (NaN stays NaN). */
export function datePart(days: number, part: DatePart): number {
  if (Number.isNaN(days)) return Number.NaN;
  if (part === "daysSince1970") return days;
  const date = new Date(days * DAY_MS);
  switch (part) {
    case "year":
      return date.getUTCFullYear();
    case "month":
      return date.getUTCMonth() + 1;
    case "dayOfMonth":
      return date.getUTCDate();
    case "dayOfWeek":
      return ((date.getUTCDay() + 6) % 7) + 1;
    case "dayOfYear":
      return Math.floor((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    case "timeOfDay":
      return (days - Math.floor(days)) * 24;
  }
}
