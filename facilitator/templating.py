"""Handout text templates: a locked-down Jinja2 sandbox shared by validation and printing.

Handout text may say ``{{ participant_name }}`` or ``{% if week > 1 %}``. Templates run in an
``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` and HTML autoescaping (which is exactly
the escaping reportlab's Paragraph markup needs). On top of the sandbox we allow only a small
grammar (output, variables, attribute access, ``if``, a few filters: no loops, macros, includes
or calls), and bound everything that could grow before it grows:

- nesting (blocks, brackets) and the length of one expression are checked on the token stream,
  before the recursive parser sees them, so 3,000 nested ``{% if %}`` is a located problem;
- ``+ - * **`` and ``~`` are intercepted: the size of the result (bits of an integer, characters
  of a string) is worked out from the operands *before* computing it, so neither
  ``((9 ** 64) ** 64) ** 64`` nor a chain of ``('a' * 20000) ~ ...`` gets to allocate;
- the output is produced piece by piece and stops at :data:`MAX_OUTPUT_CHARS`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT_CHARS = 20_000
"""Longest text one template may produce (a full handout paragraph is well under 2,000)."""
MAX_INT_BITS = 4096
"""Largest integer a template may compute (about 1,200 digits)."""
MAX_EXPONENT = 64
MAX_NESTING = 20
"""Deepest nesting of blocks (``{% if %}``) and brackets together."""
MAX_EXPRESSION_TOKENS = 100
"""Longest single ``{{ ... }}`` or ``{% ... %}`` in tokens (a long one is a chain of operators,
which the parser and compiler turn into a deep tree)."""
MAX_NUMBER_CHARS = 100
"""Longest number literal."""

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


class _Generator(CodeGenerator):
    """Compiles ``a ~ b ~ c`` into a call the sandbox can check (Jinja joins it directly)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.call_concat(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _too_long(size: int) -> None:
    if size > MAX_OUTPUT_CHARS:
        raise SecurityError(f"result would be longer than {MAX_OUTPUT_CHARS:,} characters")


def _int_bits(value: Any) -> int | None:
    """Bits of an integer operand (bools count as integers); None for anything else."""
    return abs(value).bit_length() if isinstance(value, int) else None


def _check_int(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise SecurityError(f"number would be larger than {MAX_INT_BITS:,} bits")


def _check_power(left: Any, right: Any) -> None:
    if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
        raise SecurityError(f"exponent larger than {MAX_EXPONENT}")
    bits = _int_bits(left)
    if bits is not None and isinstance(right, int) and right > 0:
        _check_int(bits * right)


def _check_product(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            _too_long(len(seq) * count)
    left_bits, right_bits = _int_bits(left), _int_bits(right)
    if left_bits is not None and right_bits is not None:
        _check_int(left_bits + right_bits)


def _check_sum(left: Any, right: Any) -> None:
    if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        _too_long(len(left) + len(right))
    left_bits, right_bits = _int_bits(left), _int_bits(right)
    if left_bits is not None and right_bits is not None:
        _check_int(max(left_bits, right_bits) + 1)


_CHECKS = {"**": _check_power, "*": _check_product, "+": _check_sum, "-": _check_sum}


def _text_size(value: Any) -> int:
    """How long ``str(value)`` will be, without making a huge string to find out."""
    if isinstance(value, str):
        return len(value)
    bits = _int_bits(value)
    if bits is not None:
        return bits // 3 + 2  # an upper bound on the decimal digits (and a sign)
    return len(str(value))  # floats, None, booleans: short


class _Sandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset(_CHECKS)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        _CHECKS[operator_name](left, right)
        return super().call_binop(context, operator_name, left, right)

    def call_concat(self, context: Any, values: tuple[Any, ...]) -> Any:
        """``a ~ b``: refuse a result over the output cap before joining."""
        _too_long(sum(_text_size(v) for v in values))
        return markup_join(values) if context.eval_ctx.autoescape else str_join(values)


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
        _check_shape(env, text)
        tree = env.parse(text)
    except TemplateError as exc:
        raise TemplateProblem(f"template syntax: {exc}", getattr(exc, "lineno", 0) or 0) from None
    except RecursionError:  # a shape the token checks did not foresee: still only a problem
        raise TemplateProblem("template is nested too deeply") from None
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
    except (RecursionError, MemoryError, SyntaxError):
        raise TemplateProblem("template is nested too deeply") from None


_CLOSERS = {")": "(", "]": "[", "}": "{"}
_MIDDLE_TAGS = frozenset({"elif", "else"})


def _check_shape(env: Any, text: str) -> None:
    """Refuse deep nesting, long expressions and huge number literals from the flat token
    stream, before Jinja's recursive parser and compiler see them."""
    depth = tokens = 0
    tag_next = False
    for line, kind, value in env.lex(text):
        if kind in ("block_begin", "variable_begin"):
            tokens, tag_next = 0, kind == "block_begin"
            continue
        if kind in ("whitespace", "data") or kind.startswith("comment"):
            continue
        tokens += 1
        if tokens > MAX_EXPRESSION_TOKENS:
            raise TemplateProblem(
                f"expression is too long (more than {MAX_EXPRESSION_TOKENS} parts)", line
            )
        if kind in ("integer", "float") and len(value) > MAX_NUMBER_CHARS:
            raise TemplateProblem(f"number longer than {MAX_NUMBER_CHARS} digits", line)
        if tag_next and kind == "name":
            tag_next = False
            if value.startswith("end"):
                depth -= 1
            elif value not in _MIDDLE_TAGS:
                depth += 1
        elif kind == "operator" and value in "([{":
            depth += 1
        elif kind == "operator" and value in _CLOSERS:
            depth -= 1
        else:
            tag_next = False
        if depth > MAX_NESTING:
            raise TemplateProblem(f"nested more than {MAX_NESTING} levels deep", line)


def render(text: str, values: Mapping[str, Any]) -> str:
    """Render handout text: the author's text as written, every variable's value escaped.

    The result is Paragraph markup from a trusted author with untrusted values escaped; the PDF
    renderer still filters it to its allow-list of inline tags.
    """
    if not needs_template(text):
        return text
    template = compile_template(text)
    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(**values):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                break
            pieces.append(piece)
    except SecurityError as exc:
        raise TemplateProblem(f"refused by the sandbox: {exc}", _line_of(exc)) from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", 0) or _line_of(exc)
        raise TemplateProblem(f"template: {exc}", line) from None
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise TemplateProblem(f"template: {exc}", _line_of(exc)) from None
    except RecursionError:
        raise TemplateProblem("template is nested too deeply") from None
    if size > MAX_OUTPUT_CHARS:
        raise TemplateProblem(f"template output is longer than {MAX_OUTPUT_CHARS:,} characters")
    return "".join(pieces)


def _line_of(exc: BaseException) -> int:
    """The template line an error was raised on (Jinja maps its frames to template lines)."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def check(text: str) -> None:
    """Validate a template by rendering it with sample values; raise TemplateProblem."""
    if needs_template(text):
        render(text, SAMPLE_VALUES)
