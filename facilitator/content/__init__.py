"""Content files -> models: discovery, strict loading and cross-file validation."""

from facilitator.content.library import ContentRoot, Entry, Library
from facilitator.content.loading import load_library

__all__ = ["ContentRoot", "Entry", "Library", "load_library"]
