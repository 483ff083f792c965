"""Use cases: each operation a facilitator performs, once, for both front ends.

A function here takes the workspace (and the open store) and plain values, does the whole
operation through the core, and returns a plain result (a model record or a small frozen
dataclass) that the CLI and the app only format. One module per noun: groups, roster,
schedule, attendance, notes, meetings, overview, printing, invites, exports, content,
settings, data (opening, unlocking, backup, restore, audit) and demo. Nothing here imports
click or textual; heavy libraries (reportlab, icalendar) are imported inside the functions
that need them.
"""
