"""Load one content file into its model, turning every error into a located Problem."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from facilitator.content.yamltree import Map, Node, Scalar, Seq, YamlError, parse, read_text
from facilitator.errors import Problem
from facilitator.model.content import BLOCK_TYPES, Curriculum, Handout, SessionPlan
from facilitator.model.scalars import Plain
from facilitator.text import control_in

SUFFIXES: dict[str, type[SessionPlan | Curriculum | Handout]] = {
    ".session.yaml": SessionPlan,
    ".curriculum.yaml": Curriculum,
    ".handout.yaml": Handout,
}
"""File name endings and the model each kind of file holds."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def model_for(path: Path) -> type[SessionPlan | Curriculum | Handout] | None:
    """The model a file holds, judged by its name; ``None`` for files that are not content."""
    name = path.name
    for suffix, model in SUFFIXES.items():
        if name.endswith(suffix):
            return model
    return None


def load_file(path: Path, shown: str) -> tuple[Any, Node | None, list[Problem]]:
    """Load ``path``; return (model or None, node tree or None, problems)."""
    model = model_for(path)
    if model is None:
        return None, None, [Problem(shown, 0, "", "not a content file")]
    try:
        tree = parse(read_text(path))
    except YamlError as exc:
        return None, None, [Problem(shown, exc.line, "", exc.message)]
    except OSError as exc:
        return None, None, [Problem(shown, 0, "", f"cannot read: {exc.strerror}")]
    if not isinstance(tree, Map):
        line = tree.line if tree is not None else 0
        return None, tree, [Problem(shown, line, "", "expected a mapping of keys (key: value)")]
    unsafe = list(control_problems(tree, shown))
    if unsafe:
        return None, tree, unsafe
    try:
        return model.model_validate(to_python(tree)), tree, []
    except ValidationError as exc:
        return None, tree, [_problem(shown, tree, error) for error in exc.errors()]


def load_curriculum_text(
    text: str, shown: str
) -> tuple[Curriculum | None, Node | None, list[Problem]]:
    """A curriculum from text not yet saved (the builder's edits): model, tree, problems."""
    try:
        tree = parse(text)
    except YamlError as exc:
        return None, None, [Problem(shown, exc.line, "", exc.message)]
    if not isinstance(tree, Map):
        return None, tree, [Problem(shown, 0, "", "expected a mapping of keys (key: value)")]
    try:
        return Curriculum.model_validate(to_python(tree)), tree, []
    except ValidationError as exc:
        return None, tree, [_problem(shown, tree, error) for error in exc.errors()]


SINGLE_LINE_KEYS = frozenset({"title", "heading", "lead", "low", "high", "version", "language"})
"""Keys whose text is one line: a line break in them is refused too."""


def control_problems(tree: Node, shown: str) -> Iterator[Problem]:
    """A Problem for each text that holds a control character, bidi override or isolate, or a
    line separator (and, for titles and other one-line keys, a line break): such text would
    reach terminals, sheets and calendars. Found before the schema, so it is always reported."""
    stack: list[tuple[Node, str, str]] = [(tree, "", "")]
    while stack:
        node, key, name = stack.pop()
        if isinstance(node, Map):
            stack.extend(
                (child, f"{key}.{k}" if key else k, k) for k, child in reversed(node.items.items())
            )
        elif isinstance(node, Seq):
            stack.extend(
                (child, f"{key}[{i}]", name) for i, child in reversed(list(enumerate(node.items)))
            )
        else:
            text = node.text.strip() if name in SINGLE_LINE_KEYS else node.text
            bad = control_in(text) if name in SINGLE_LINE_KEYS else _unsafe_in_block(text)
            if bad is not None:
                yield Problem(
                    shown, node.line, key, f"contains a control character ({bad}); use plain text"
                )


def _unsafe_in_block(text: str) -> str | None:
    """Like :func:`control_in`, but line breaks and tabs are fine in longer text."""
    return control_in(text.replace("\n", " ").replace("\t", " "))


def to_python(node: Node) -> Any:
    """Nodes -> dicts, lists and text; plain scalars become :class:`Plain` (typed later)."""
    if isinstance(node, Scalar):
        if node.plain:
            return None if node.text in _NULLS else Plain(node.text)
        return node.text
    if isinstance(node, Seq):
        return [to_python(item) for item in node.items]
    return {key: to_python(value) for key, value in node.items.items()}


def locate(tree: Node, loc: tuple[int | str, ...]) -> tuple[int, str]:
    """Follow a path of keys and indexes into the tree: (line, dotted key as the user sees it)."""
    line, key, _ = walk(tree, loc)
    return line, key


def walk(tree: Node, loc: tuple[int | str, ...]) -> tuple[int, str, Node]:
    """Like :func:`locate`, also returning the deepest node reached.

    Path parts that do not name a child (pydantic's union tags) are skipped; the walk stops at
    the deepest node that exists, so a missing key points at its parent mapping.
    """
    node, line, key = tree, tree.line, ""
    for part in loc:
        if isinstance(node, Map) and isinstance(part, str) and part in node.items:
            line = node.key_lines[part]
            node = node.items[part]
            key = f"{key}.{part}" if key else part
        elif isinstance(node, Seq) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
            line = node.line
            key = f"{key}[{part}]"
        elif isinstance(part, str) and part not in BLOCK_TYPES and not part.startswith("function"):
            key = f"{key}.{part}" if key else part
    return line, key, node


def _problem(shown: str, tree: Node, error: Any) -> Problem:
    line, key = locate(tree, tuple(error["loc"]))
    return Problem(shown, line, key, _message(error))


def _message(error: Any) -> str:
    kind, msg = error["type"], str(error["msg"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, known_keys(), n=1, cutoff=0.75)
        return "unknown key" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"type must be one of: {', '.join(BLOCK_TYPES)}"
    if kind in ("tuple_type", "list_type"):
        return "expected a list (lines starting with '- ')"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping of keys (key: value)"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "literal_error" or kind == "enum":
        return msg.replace("Input should be", "must be")
    return msg.replace("Input should be", "must be")


@functools.cache
def known_keys() -> list[str]:
    """Every key any content model accepts (for 'did you mean' hints)."""
    return sorted(
        set(_walk_fields(SessionPlan)) | set(_walk_fields(Curriculum)) | set(_walk_fields(Handout))
    )


def _walk_fields(model: type[BaseModel]) -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield name
        for arg in _models_in(info.annotation):
            yield from _walk_fields(arg)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _models_in(origin)
    for meta in getattr(annotation, "__metadata__", ()) or ():
        yield from _models_in(meta)
