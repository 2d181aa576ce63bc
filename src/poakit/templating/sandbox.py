"""The Jinja sandbox snippets render in, and the budget every render keeps to.

Snippets are trusted to write Markdown, not to run without bounds: a team reviews them as
text, and a slip or a hostile pull request (`'x'.ljust(10**9)`, a loop in a loop over
`range(100000)`, `((10**1000)**1000)**10`) must not hang or exhaust a build. So a render has a
`Budget`, and going over it raises `OverBudget` at the template line, which the library turns
into a finding:

- **output**: the characters a snippet prints (its values, and the text of its loop bodies on
  every pass);
- **built**: the characters and list items it builds in all, by operators, `~`, filters,
  method calls and macros. Each operation that could make a large value (`*`, `**`, `%`,
  `ljust`, `center`, `zfill`, `expandtabs`, `format` with widths, `join`, `replace`,
  `indent`, `batch`, ...) is sized *before* it runs, so nothing large is ever allocated;
- **iterations**: passes through `{% for %}` loops, counted by wrapping every loop's iterable
  (`_Sandbox._parse`), recursive loops included;
- **integer size**: bits of any integer a snippet computes;
- **time**: wall-clock seconds, checked on every loop pass, operator, filter and call.

The sandbox is also immutable (a snippet cannot change the case data it is given) and has no
`lipsum`. Every `{{ ... }}` output becomes a marker whose value is kept aside (`finalize`), so
case data never becomes markup (see `richtext`).
"""

from __future__ import annotations

import contextlib
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..model.values import format_value
from .richtext import CLOSE, OPEN


@dataclass(frozen=True)
class Budget:
    """What one snippet render may spend. A letter snippet prints a few hundred words."""

    output: int = 100_000  # characters printed
    built: int = 1_000_000  # characters and list items built, in all
    iterations: int = 10_000  # loop passes, in all
    integer_bits: int = 10_000  # about 3,000 digits
    seconds: float = 2.0


DEFAULT_BUDGET = Budget()


class OverBudget(SecurityError):
    """A render went over its budget; the message says which part and where it went."""


@dataclass
class _Spending:
    budget: Budget
    deadline: float
    output: int = 0
    built: int = 0
    iterations: int = 0
    values: list[str] = field(default_factory=list)

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise OverBudget(f"the render took longer than {self.budget.seconds:g} s")

    def printed(self, characters: int) -> None:
        self.output += characters
        if self.output > self.budget.output:
            raise OverBudget(f"the snippet would print more than {self.budget.output:,} characters")

    def room(self) -> int:
        """How many more characters (or list items) the render may build."""
        return self.budget.built - self.built

    def allow(self, size: int, what: str) -> None:
        """Refuse, before it is made, a value of `size` that would go over the budget."""
        if size > self.room():
            raise OverBudget(
                f"{what} would build {size:,} characters or items; a snippet may build "
                f"{self.budget.built:,} in all"
            )

    def made(self, value: Any, what: str) -> Any:
        """Count a value just made (and check the clock); return it."""
        self.tick()
        if isinstance(value, int) and not isinstance(value, bool):
            self.check_integer(value.bit_length(), what)
        else:
            size = size_of(value, self.room() + 1)
            self.allow(size, what)
            self.built += size
        return value

    def check_integer(self, bits: int, what: str) -> None:
        if bits > self.budget.integer_bits:
            raise OverBudget(
                f"{what} would make an integer of {bits:,} bits; the limit is "
                f"{self.budget.integer_bits:,}"
            )

    def iterate(self, body_characters: int) -> None:
        self.iterations += 1
        if self.iterations > self.budget.iterations:
            raise OverBudget(
                f"the loops would run more than {self.budget.iterations:,} times in all"
            )
        self.tick()
        self.printed(body_characters)


_SPENDING: ContextVar[_Spending | None] = ContextVar("poakit_spending", default=None)


def _spending() -> _Spending:
    spending = _SPENDING.get()
    if spending is None:  # a template rendered outside `render` (the library never does)
        raise OverBudget("a snippet renders only through Library.render")
    return spending


@contextlib.contextmanager
def spend(budget: Budget = DEFAULT_BUDGET) -> Iterator[list[str]]:
    """Render inside this block; it gives the list that collects the printed values."""
    spending = _Spending(budget, time.monotonic() + budget.seconds)
    token = _SPENDING.set(spending)
    try:
        yield spending.values
    finally:
        _SPENDING.reset(token)


def check_output(skeleton: str) -> None:
    """The whole render's size, exactly: the skeleton with its values in place."""
    spending = _spending()
    size = len(skeleton) + sum(len(v) for v in spending.values)
    if size > spending.budget.output:
        raise OverBudget(f"the snippet would print more than {spending.budget.output:,} characters")


def size_of(value: Any, limit: int) -> int:
    """How many characters and items `value` holds, deeply; counting stops past `limit`.

    A list holding one long text many times counts the text each time: printed or joined,
    it would be that long."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


# -- estimates of what an operation would build, before it runs ------------------------------


def _length(value: Any) -> int:
    return size_of(value, 1 << 62) if isinstance(value, str | list | tuple) else 0


def _product(left: Any, right: Any) -> int:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return _length(sequence) * max(count, 0)
    return 0


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _format_widths(specs: Iterable[str], arguments: Iterable[Any], nested: bool) -> int:
    """The largest width or precision a format string asks for (from its arguments when
    they are given as `*` or `{}`)."""
    widths = [int(n) for spec in specs for n in re.findall(r"\d+", spec)]
    if nested:
        widths += [a for a in arguments if isinstance(a, int) and not isinstance(a, bool)]
    return max(widths, default=0)


def _percent_format(template: str, args: Any) -> int:
    specs = [m.group() for m in _PERCENT_SPEC.finditer(template)]
    given = args if isinstance(args, tuple) else (args,)
    values = list(given.values()) if isinstance(given, dict) else list(given)
    widest = _format_widths(specs, values, any("*" in s for s in specs))
    return len(template) + widest + sum(_length(v) for v in values)


def _brace_format(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    try:
        specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(template)]
    except ValueError:
        return len(template)  # str.format will raise the same error
    values = [*args, *kwargs.values()]
    widest = _format_widths(specs, values, any("{" in s for s in specs))
    return len(template) + widest * max(len(specs), 1) + sum(_length(v) for v in values)


def _joined(items: Iterable[Any], separator: str, spending: _Spending, what: str) -> list[Any]:
    """The items of a join, taken one by one while their total stays within the budget."""
    taken: list[Any] = []
    total = 0
    for item in items:
        total += _length(item) if isinstance(item, str) else len(format_value(item))
        total += len(separator)
        spending.allow(total, what)
        taken.append(item)
    return taken


def _replaced(text: str, old: str, new: str, count: int = -1) -> int:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


# Methods of str that make a text longer than themselves, and their estimates.
_STR_METHODS: dict[str, Callable[..., int]] = {
    "ljust": lambda s, width=0, *_: max(len(s), width),
    "rjust": lambda s, width=0, *_: max(len(s), width),
    "center": lambda s, width=0, *_: max(len(s), width),
    "zfill": lambda s, width=0, *_: max(len(s), width),
    "expandtabs": lambda s, tabsize=8, *_: len(s) + s.count("\t") * max(tabsize, 0),
    "replace": lambda s, old="", new="", count=-1, *_: _replaced(s, old, new, count),
    "translate": lambda s, table=None, *_: (
        len(s)
        * max(
            [len(v) for v in table.values() if isinstance(v, str)]
            if isinstance(table, dict)
            else [1],
            default=1,
        )
    ),
}


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, metered by the render's budget (see the module)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # up to n paragraphs of filler: nothing a letter needs
        self.globals["range"] = _range
        self.filters = {name: _metered(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP] = _loop
        self.filters[_BUILT] = _built

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        spending = _spending()
        spending.tick()
        what = f"'{op}'"
        if op == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            spending.check_integer(math.ceil(right * math.log2(abs(left))) + 1, what)
        elif op == "*" and _is_int(left) and _is_int(right):
            spending.check_integer(left.bit_length() + right.bit_length(), what)
        elif op == "*":
            spending.allow(_product(left, right), what)
        elif op == "+" and isinstance(left, str | list | tuple):
            spending.allow(_length(left) + _length(right), what)
        elif op == "%" and isinstance(left, str):
            spending.allow(_percent_format(left, right), what)
        return spending.made(super().call_binop(context, op, left, right), what)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        spending = _spending()
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        what = f"'{name}'" if name else "a call"
        if isinstance(owner, str) and name in _STR_METHODS:
            spending.allow(_estimate(_STR_METHODS[name], owner, *args), what)
        elif isinstance(owner, str) and name == "join" and args:
            args = (_joined(args[0], owner, spending, what), *args[1:])
        return spending.made(super().call(__context, __obj, *args, **kwargs), what)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template: str = value.__self__
        mapping = value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            spending = _spending()
            if mapping and args and isinstance(args[0], dict):
                spending.allow(_brace_format(template, (), args[0]), "'format_map'")
            else:
                spending.allow(_brace_format(template, args, kwargs), "'format'")
            return str(spending.made(wrapped(*args, **kwargs), "'format'"))

        return checked

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree, with every loop's iterable and every `~` metered."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            literal = sum(len(n.data) for n in loop.find_all(nodes.TemplateData))
            loop.iter = _filter(_LOOP, loop.iter, literal, loop.lineno)
            if loop.recursive:  # `loop(children)` starts the loop again on new items
                for call in loop.find_all(nodes.Call):
                    if isinstance(call.node, nodes.Name) and call.node.name == "loop" and call.args:
                        call.args[0] = _filter(_LOOP, call.args[0], literal, loop.lineno)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [_filter(_BUILT, nodes.Concat(concat.nodes), 0, concat.lineno)]
        return tree


_LOOP, _BUILT = "poakit_loop", "poakit_built"


def _filter(name: str, node: Any, argument: int, lineno: int) -> nodes.Filter:
    return nodes.Filter(node, name, [nodes.Const(argument)], [], None, None, lineno=lineno)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@jinja2.pass_context  # never folded into a constant while compiling
def _loop(context: Any, iterable: Any, literal: int) -> Iterator[Any]:
    spending = _spending()
    for item in iterable:
        spending.iterate(literal)
        yield item


@jinja2.pass_context
def _built(context: Any, value: Any, _: int) -> Any:
    return _spending().made(value, "'~'")


def _range(*args: int) -> range:
    """`range`, refused when it alone would loop more than the budget allows."""
    spending = _spending()
    steps = range(*args)
    left = spending.budget.iterations - spending.iterations
    if len(steps) > left:
        raise OverBudget(
            f"range({', '.join(map(str, args))}) would loop {len(steps):,} times; the loops "
            f"of a snippet may run {spending.budget.iterations:,} times in all"
        )
    return steps


# Filters whose result can be far larger than their input, and their estimates.
def _indent_size(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    prefix = len(width) if isinstance(width, str) else max(int(width), 0)
    return _length(s) + (str(s).count("\n") + 1) * prefix


_FILTER_ESTIMATES: dict[str, Callable[..., int]] = {
    "center": lambda s, width=80, *_, **__: max(_length(s), width if _is_int(width) else 0),
    "indent": _indent_size,
    "format": lambda s, *args, **kwargs: _percent_format(str(s), kwargs or args),
    "replace": lambda s, old="", new="", count=None, *_, **__: _replaced(
        str(s), str(old), str(new), -1 if count is None else count
    ),
    "wordwrap": lambda s, width=79, brk=True, wrapstring=None, *_, **__: (
        _length(s) * (1 + len(wrapstring or "\n"))
    ),
    "batch": lambda v, count=1, fill_with=None, *_, **__: (
        count if fill_with is not None and _is_int(count) else 0
    ),
}


def _estimate(estimate: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """An estimate's answer; 0 when the arguments do not fit (the call itself will fail)."""
    try:
        return int(estimate(*args, **kwargs))
    except (TypeError, ValueError, AttributeError):
        return 0


def _metered(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that keeps to the budget: sized before it runs where it can grow a value,
    its result counted after."""
    what = f"the filter '{name}'"
    passes = getattr(function, "jinja_pass_arg", None)

    @wraps(function)
    def metered(*args: Any, **kwargs: Any) -> Any:
        spending = _spending()
        spending.tick()
        own = args[1:] if passes is not None else args  # after the context or environment
        if name in _FILTER_ESTIMATES and own:
            spending.allow(_estimate(_FILTER_ESTIMATES[name], *own, **kwargs), what)
        if name == "join" and own:
            separator = own[1] if len(own) > 1 else kwargs.get("d", "")
            taken = _joined(own[0], str(separator), spending, what)
            args = (*args[: len(args) - len(own)], taken, *own[1:])
        if name == "slice" and len(own) > 1 and _is_int(own[1]):
            for _ in range(min(own[1], spending.budget.iterations + 1)):
                spending.iterate(0)
        return spending.made(function(*args, **kwargs), what)

    return metered


# -- printing ------------------------------------------------------------------------------------


@jinja2.pass_context
def finalize(context: jinja2.runtime.Context, value: Any) -> str:
    """Every `{{ ... }}` output becomes a marker; the value itself is kept aside.

    A missing value (none) prints as a visible placeholder in the snippet's own text: a snippet
    that prints an optional variable without `{% if %}` is the snippet's fault, and the review
    says so at the snippet's line.
    """
    if value is None:
        return format_value(None)
    spending = _spending()
    text = format_value(value)
    spending.printed(len(text))
    spending.values.append(text)
    return f"{OPEN}{len(spending.values) - 1}{CLOSE}"


def environment(
    loader: jinja2.BaseLoader, filters: dict[str, Callable[..., Any]]
) -> jinja2.Environment:
    """The environment every snippet renders in, with the library's own `filters`."""
    env = _Sandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=finalize,
        auto_reload=False,
    )
    env.filters.update((name, _metered(name, f)) for name, f in filters.items())
    return env
