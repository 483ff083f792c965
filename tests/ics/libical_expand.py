"""Expand a one-series .ics file with libical and print each occurrence's UTC instant.

Run with a python that has libical's GObject bindings (Debian: python3-gi, gir1.2-ical-3.0); it
is not imported by the tests. Times are converted with the file's own VTIMEZONE (not libical's
built-in zone data), so the VTIMEZONE we write is what is checked.
Use: python libical_expand.py FILE.ics  -> lines "2027-03-02T17:30:00Z"; exit 1 on any error.
"""

import sys
from datetime import UTC, datetime

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402


def children(parent, kind):
    child = parent.get_first_component(kind)
    while child is not None:
        yield child
        child = parent.get_next_component(kind)


def properties(comp, kind):
    prop = comp.get_first_property(kind)
    while prop is not None:
        yield prop
        prop = comp.get_next_property(kind)


def instant(prop, value, zones):
    """Seconds since the epoch of a DATE-TIME value, read in the property's TZID zone."""
    tzid = prop.get_parameter_as_string("TZID")
    if tzid is None:
        return value.as_timet()
    return value.as_timet_with_zone(zones[tzid])


def main(path):
    with open(path, encoding="utf-8") as handle:
        root = I.Parser.parse_string(handle.read())
    zones = {}
    for comp in children(root, I.ComponentKind.VTIMEZONE_COMPONENT):
        zone = I.Timezone.new()
        zone.set_component(comp.clone())
        zones[zone.get_tzid()] = zone
    events = list(children(root, I.ComponentKind.VEVENT_COMPONENT))
    master = next(
        e for e in events if e.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY) is None
    )
    start_prop = master.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
    excluded = {
        p.get_exdate().as_ical_string() for p in properties(master, I.PropertyKind.EXDATE_PROPERTY)
    }
    moved = {}
    for event in events:
        rid = event.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY)
        if rid is not None:
            dtstart = event.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
            moved[rid.get_recurrenceid().as_ical_string()] = instant(
                dtstart, dtstart.get_dtstart(), zones
            )
    rule = master.get_first_property(I.PropertyKind.RRULE_PROPERTY).get_rrule()
    first = start_prop.get_dtstart()
    tzid = start_prop.get_parameter_as_string("TZID")
    if tzid is not None:
        first.set_timezone(zones[tzid])  # so that a UTC UNTIL is compared as an instant
    iterator = I.RecurIterator.new(rule, first)
    out = []
    for _ in range(500):
        local = iterator.next()
        if local is None or local.is_null_time():
            break
        key = local.as_ical_string()
        if key in excluded:
            continue
        out.append(moved.get(key, instant(start_prop, local, zones)))
    for seconds in sorted(out):
        print(datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


if __name__ == "__main__":
    main(sys.argv[1])
