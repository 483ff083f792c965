"""Validate .ics files with libical, the parser under GNOME Evolution and many CalDAV servers.

Run with a Python that has libical's GObject bindings (Debian: python3-gi gir1.2-ical-3.0, which
.ci/install-system-deps installs); the tests run it as a program, they never import it.
Besides parse errors, ``check_restrictions`` adds libical's RFC 5546 (iTIP) findings, so a
REQUEST or CANCEL that a mail client would reject fails here too.

Use: python libical_check.py FILE.ics [...]
Prints "OK   FILE" or "FAIL FILE" followed by one indented line per finding; exit 1 if any fail.
"""

import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

ANY = ICalGLib.ComponentKind.ANY_COMPONENT
ERROR = ICalGLib.PropertyKind.XLICERROR_PROPERTY


def findings(component):
    """Every X-LIC-ERROR libical attached to the component or any component inside it."""
    found = []
    pending = [component]
    while pending:
        current = pending.pop()
        kind = ICalGLib.Component.kind_to_string(current.isa())
        prop = current.get_first_property(ERROR)
        while prop is not None:
            found.append(f"{kind}: {prop.get_xlicerror()}")
            prop = current.get_next_property(ERROR)
        child = current.get_first_component(ANY)
        while child is not None:
            pending.append(child)
            child = current.get_next_component(ANY)
    return found


def check(path):
    with open(path, encoding="utf-8") as handle:
        root = ICalGLib.Parser.parse_string(handle.read())
    if root is None:
        return ["libical could not parse the file"]
    root.check_restrictions()
    return findings(root)


def main(paths):
    failed = False
    for path in paths:
        problems = check(path)
        failed = failed or bool(problems)
        print(f"{'FAIL' if problems else 'OK  '} {path}")
        for problem in problems:
            print(f"    {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
