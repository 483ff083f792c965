"""Use cases: each operation a facilitator performs, once, for both front ends.

A function here takes the workspace (and the open store) and plain values, does the whole
operation through the core, and returns a plain result that the CLI and the app only format.
Nothing here imports click or textual. Started with the roster (``roster.erase``); the other
nouns move here one by one.
"""
