"""Moved to :mod:`facilitator.files` (below ``content``, which writes files too).

This name stays only so that code written against the old location keeps importing.
"""

from facilitator.files import open_private, write_private

__all__ = ["open_private", "write_private"]
