import { ValidationError } from "@velaflows/kit";

/**
 * The instants [start, end) of the calendar day containing `now` in the IANA `timeZone`. Offsets
 * come from Intl (the process's time zone data), so days of a DST change are 23 or 25 hours long.
 */
export function dayWindow(now: Date, timeZone: string, path = "timeZone"): { start: Date; end: Date } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    throw new ValidationError([{ path, message: "must be an IANA time zone such as Europe/Lisbon" }]);
  }
  const local = (instant: Date) => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), wall: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) };
  };
  // The instant whose wall-clock time in the zone is local midnight of (y, m, d).
  const midnight = (y: number, m: number, d: number) => {
    const wallMidnight = Date.UTC(y, m - 1, d);
    let guess = wallMidnight;
    for (let i = 0; i < 2; i++) guess = wallMidnight - (local(new Date(guess)).wall - guess);
    return new Date(guess);
  };
  const today = local(now);
  const tomorrow = new Date(Date.UTC(today.y, today.m - 1, today.d + 1));
  return { start: midnight(today.y, today.m, today.d), end: midnight(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate()) };
}
