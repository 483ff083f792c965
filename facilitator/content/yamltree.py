"""A strict, located YAML reader: libyaml events -> a small node tree with line numbers.

We never let PyYAML construct Python objects. ``yaml.parse`` with ``CSafeLoader`` yields events
only; from them we build our own nodes, refusing anchors and aliases (billion laughs, cycles),
explicit tags (``!!python/object``), deep nesting and duplicate keys. Scalars keep their source
text: typing happens later against the schema, so YAML 1.1 surprises (``NO`` -> False,
``1:30`` -> 90) cannot happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from facilitator.paths import NotARegularFile, read_bounded

MAX_FILE_BYTES = 1_000_000
"""Content files are hand-written text; anything larger is refused before parsing."""
MAX_DEPTH = 32
"""Deepest nesting a content file may use (the real formats need about six levels)."""


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def _is_nesting_limit(exc: yaml.MarkedYAMLError) -> bool:
    """Whether the parser stopped at a nesting limit of its own (whatever its wording)."""
    words = f"{exc.problem or ''} {exc.context or ''}".lower()
    return any(word in words for word in ("depth", "nesting", "flow level", "indent level"))


class YamlError(Exception):
    """The file cannot be read as strict YAML; carries a 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class Scalar:
    """A scalar's source text. ``plain`` is False for quoted and block scalars."""

    text: str
    line: int
    plain: bool


@dataclass(slots=True)
class Seq:
    """A sequence of nodes."""

    line: int
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Map:
    """A mapping with string keys, in file order; ``key_lines`` gives each key's line."""

    line: int
    items: dict[str, Node] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)


Node = Scalar | Seq | Map


def read_text(path: Path) -> str:
    """Read a content file as UTF-8 text, refusing oversized, binary or mis-encoded files and
    anything that is not a regular file (a FIFO or a link to a device named like content)."""
    try:
        data = read_bounded(path, MAX_FILE_BYTES, what="content files")
    except NotARegularFile as exc:
        raise YamlError(0, f"file {exc.message}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise YamlError(data.count(b"\n", 0, nul) + 1, "file contains a NUL byte (is it binary?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def parse(text: str) -> Node | None:
    """Parse one YAML document into nodes; ``None`` for an empty document."""
    builder = _Builder()
    loader = yaml.CSafeLoader(text)
    try:
        feed, get_event = builder.feed, loader.get_event
        while (event := get_event()) is not None:
            feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        if _is_nesting_limit(exc):
            # libyaml >= 0.2.5 as bundled with PyYAML 6.0.4 has its own nesting limit, which its
            # scanner hits while looking ahead, before our builder sees the 33rd level.
            raise YamlError(line, _TOO_DEEP) from None
        raise YamlError(line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"YAML syntax: {exc}") from None
    finally:
        loader.dispose()
    return builder.root


class _Builder:
    """Turns a stream of parser events into nodes, enforcing the strict rules."""

    def __init__(self) -> None:
        self.root: Node | None = None
        self.stack: list[Seq | Map] = []
        self.pending_key: list[Scalar | None] = []
        self.documents = 0

    def feed(self, event: Any) -> None:  # libyaml events are duck-typed
        kind = type(event)
        if kind is yaml.ScalarEvent:
            line = event.start_mark.line + 1
            if event.anchor is not None or event.tag not in (None, "!"):
                self._check_node_event(event, line)
            self._add(Scalar(event.value, line, plain=not event.style), line)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            line = event.start_mark.line + 1
            self._check_node_event(event, line)
            self._open(Map(line) if kind is yaml.MappingStartEvent else Seq(line), line)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
            self.pending_key.pop()
        elif kind is yaml.AliasEvent:
            raise YamlError(
                event.start_mark.line + 1, "aliases (*name) are not allowed in content files"
            )
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise YamlError(
                    event.start_mark.line + 1,
                    "only one YAML document per file (remove the extra '---')",
                )

    @staticmethod
    def _check_node_event(event: Any, line: int) -> None:
        if event.anchor is not None:
            raise YamlError(line, f"anchors (&{event.anchor}) are not allowed in content files")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise YamlError(line, f"tags like {tag} are not allowed in content files")

    def _open(self, node: Seq | Map, line: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(line, _TOO_DEEP)
        self._add(node, line)
        self.stack.append(node)
        self.pending_key.append(None)

    def _add(self, node: Node, line: int) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise YamlError(line, "mapping keys must be plain words")
            if node.text in parent.items:
                raise YamlError(line, f"{node.text}: key appears twice in the same mapping")
            self.pending_key[-1] = node
            return
        parent.items[key.text] = node
        parent.key_lines[key.text] = key.line
        self.pending_key[-1] = None
