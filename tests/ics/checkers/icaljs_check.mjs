// Validate an .ics file with ical.js (the parser in Thunderbird) and expand its series.
//
// Prints one line per occurrence, "LOCAL UTC SUMMARY" (local time as ical.js reads it with the
// file's own VTIMEZONE, UTC as an ISO instant), then "OK FILE". On any error prints "FAIL FILE
// reason" on stderr and exits 1. ical.js comes from package-lock.json beside this file
// (`npm ci` here, run by .ci/install-system-deps), and resolves from ./node_modules.
//
// Use: node icaljs_check.mjs FILE.ics
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 500;
const REQUIRED = ["uid", "dtstamp", "dtstart"];

function expand(vevents) {
  const master = vevents.find((event) => !event.hasProperty("recurrence-id"));
  if (!master) return [];
  const series = new ICAL.Event(master);
  for (const exception of vevents) {
    if (exception !== master) series.relateException(exception);
  }
  const lines = [];
  const iterator = series.iterator();
  for (let next = iterator.next(); next && lines.length < MAX_OCCURRENCES; next = iterator.next()) {
    const details = series.getOccurrenceDetails(next);
    const start = details.startDate;
    lines.push(`${start.toString()} ${start.toJSDate().toISOString()} ${details.item.summary}`);
  }
  return lines;
}

const file = process.argv[2];
try {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const vevents = calendar.getAllSubcomponents("vevent");
  for (const event of vevents) {
    const missing = REQUIRED.filter((name) => !event.hasProperty(name));
    if (missing.length) throw new Error(`VEVENT without ${missing.join(", ").toUpperCase()}`);
  }
  for (const line of expand(vevents)) console.log(line);
  console.log("OK", file);
} catch (error) {
  console.error("FAIL", file, error.message);
  process.exit(1);
}
