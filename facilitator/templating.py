"""Handout text templates: a locked-down Jinja2 sandbox shared by validation and printing.

Handout text may say ``{{ participant_name }}`` or ``{% if week > 1 %}``. Templates run in an
``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` and HTML autoescaping (which is exactly
the escaping reportlab's Paragraph markup needs). On top of the sandbox we allow only a small
grammar (output, variables, attribute access, ``if``, a few filters: no loops, macros, includes
or calls), intercept ``*`` and ``**`` so that ``'a' * 10**9`` is refused, and cap output size.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT_CHARS = 20_000
"""Longest text one template may produce (a full handout paragraph is well under 2,000)."""

VARIABLES: dict[str, str] = {
    "participant_name": "the participant's preferred name (empty on blank copies)",
    "group_name": "the group's neutral display name, e.g. 'Tuesday group'",
    "programme": "the curriculum's title",
    "week": "the week number (a number)",
    "meeting_date": "the meeting's date as printed, e.g. '3 March 2026'",
    "facilitator_names": "the facilitators' names",
    "support_lines": "the support and crisis lines for the configured locale, as one line",
}
"""Every variable the renderer provides, with what it holds."""

SAMPLE_VALUES: dict[str, Any] = {
    "participant_name": "Sam",
    "group_name": "Weekly group",
    "programme": "Sample programme",
    "week": 1,
    "meeting_date": "3 March 2026",
    "facilitator_names": "Alex and Robin",
    "support_lines": "Find A Helpline: findahelpline.com",
}

_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Getattr,
    nodes.If,
    nodes.Filter,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Pow,
    nodes.Concat,
    nodes.Neg,
    nodes.Pos,
    nodes.Test,
    nodes.Keyword,
)
_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "e", "escape", "string")
_TESTS = ("defined", "none", "number", "string", "eq", "ne", "lt", "gt", "le", "ge", "odd", "even")


class TemplateProblem(Exception):
    """A template that cannot be rendered safely; ``line`` is relative to the template text."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        for seq, count in ((left, right), (right, left)):
            if (
                isinstance(seq, (str, list, tuple))
                and isinstance(count, int)
                and len(seq) * count > MAX_OUTPUT_CHARS
            ):
                raise SecurityError("result would be too long")
        return operator.mul(left, right)


@functools.cache
def environment() -> _Sandbox:
    """The one sandboxed environment (built on first use)."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
    env.filters = {name: env.filters[name] for name in _FILTERS}
    env.tests = {name: env.tests[name] for name in _TESTS}
    env.globals = {}
    return env


def needs_template(text: str) -> bool:
    """Whether ``text`` contains template syntax at all (most text does not)."""
    return "{{" in text or "{%" in text or "{#" in text


@functools.lru_cache(maxsize=512)
def compile_template(text: str) -> Any:
    """Parse and check a template against the allowed grammar; raise TemplateProblem."""
    env = environment()
    try:
        tree = env.parse(text)
    except TemplateError as exc:
        raise TemplateProblem(f"template syntax: {exc}", getattr(exc, "lineno", 0) or 0) from None
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise TemplateProblem(
                f"{type(node).__name__.lower()} is not allowed in handout text "
                "(only variables, filters and if)",
                node.lineno,
            )
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in VARIABLES:
            raise TemplateProblem(
                f"unknown variable '{node.name}'; available: {', '.join(VARIABLES)}", node.lineno
            )
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise TemplateProblem("access to private attributes is not allowed", node.lineno)
    try:
        return env.from_string(tree)
    except TemplateError as exc:
        raise TemplateProblem(f"template: {exc}", getattr(exc, "lineno", 0) or 0) from None


def render(text: str, values: Mapping[str, Any]) -> str:
    """Render handout text: the author's text as written, every variable's value escaped.

    The result is Paragraph markup from a trusted author with untrusted values escaped; the PDF
    renderer still filters it to its allow-list of inline tags.
    """
    if not needs_template(text):
        return text
    template = compile_template(text)
    try:
        out = str(template.render(**values))
    except SecurityError as exc:
        raise TemplateProblem(f"refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"template: {exc}", getattr(exc, "lineno", 0) or 0) from None
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise TemplateProblem(f"template: {exc}") from None
    if len(out) > MAX_OUTPUT_CHARS:
        raise TemplateProblem(f"template output is longer than {MAX_OUTPUT_CHARS:,} characters")
    return out


def check(text: str) -> None:
    """Validate a template by rendering it with sample values; raise TemplateProblem."""
    if needs_template(text):
        render(text, SAMPLE_VALUES)
