"""Rendering a snippet of the library into `RichText`, in the sandbox, on a budget.

Every failure of a snippet (a syntax error, an unknown variable, a sandbox escape, going over
the budget, an include loop) is a `RenderError` carrying a finding at the snippet's line that
names the case using it.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from ..errors import Finding, did_you_mean, error
from ..model.library import FOLDERS, Kind, Library, Snippet
from ..model.values import (
    format_date,
    format_date_range,
    format_money,
    format_number,
    format_percent,
    join_and,
)
from .richtext import RichText
from .sandbox import DEFAULT_BUDGET, Budget, OverBudget, check_output, spend
from .sandbox import environment as sandbox_environment


class RenderError(Exception):
    """A snippet failed to render; `finding` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def render(
    library: Library,
    snippet: Snippet,
    context: Mapping[str, Any],
    case: str,
    budget: Budget = DEFAULT_BUDGET,
) -> RichText:
    """Render a snippet body; a `RenderError` names the snippet line and the case."""
    context = {**_declared_defaults(snippet), **context}
    try:
        with spend(budget) as values:
            skeleton = _template(library, snippet.template_name).render(context)
            check_output(skeleton)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(_syntax_finding(snippet, exc)) from None
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, snippet)
        raise RenderError(
            error(
                snippet.position(line),
                f"{exc.message} in snippet '{snippet.id}' (used by case {case})",
                "snippet-variable",
                "declare it under 'variables' in the snippet, or use a standard variable"
                if "is undefined" in str(exc.message)
                else "check the name after the '.'",
            )
        ) from None
    except OverBudget as exc:
        raise RenderError(
            error(
                snippet.position(_template_line(exc, snippet)),
                f"snippet '{snippet.id}' went over its render budget (used by case {case}): {exc}",
                "snippet-budget",
                "a letter snippet prints a few hundred words: check the loop or the "
                "value on this line",
            )
        ) from None
    except SecurityError as exc:
        raise RenderError(
            error(
                snippet.position(_template_line(exc, snippet)),
                f"unsafe template code in snippet '{snippet.id}' (used by case {case}): {exc}",
                "snippet-sandbox",
                "a snippet may use its variables, the standard variables and filters, "
                "nothing of Python's internals",
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(_missing_include(library, snippet, exc, case)) from None
    except RecursionError as exc:
        raise RenderError(_include_loop(library, snippet, exc)) from None
    except Exception as exc:  # snippet code is user-authored: any failure is a finding
        raise RenderError(
            error(
                snippet.position(_template_line(exc, snippet)),
                f"snippet '{snippet.id}' failed for case {case}: {exc}",
                "snippet-render",
            )
        ) from None
    return RichText(skeleton, tuple(values))


def _missing_include(
    library: Library, snippet: Snippet, exc: jinja2.TemplateNotFound, case: str
) -> Finding:
    """`{% include %}` (or import, extends) of a name that is not a snippet: a file path,
    `../x`, a typo. The loader only ever answers with snippets of this library."""
    return error(
        snippet.position(_template_line(exc, snippet)),
        f"snippet '{snippet.id}' includes '{exc.name}', which is not a snippet of the "
        f"library (used by case {case})",
        "snippet-include",
        did_you_mean(str(exc.name), library.template_names())
        or "name a snippet by its folder and id, e.g. 'measures/supplier-vetting'",
    )


def _include_loop(library: Library, snippet: Snippet, exc: RecursionError) -> Finding:
    """Snippets including each other: the loop, read from the (Jinja-rewritten) traceback."""
    paths = {s.path: s.template_name for kind in FOLDERS for s in library.of(kind).values()}
    loop: list[str] = []
    macros = 0  # frames of {% macro %} bodies (Jinja names them "template" in tracebacks)
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        macros += code.co_name == "template" and code.co_filename in paths
        name = paths.get(code.co_filename)
        if name is not None and (not loop or loop[-1] != name):
            if name in loop:
                break
            loop.append(name)
        tb = tb.tb_next
    loop = loop or [snippet.template_name]
    if len(loop) == 1 and macros > 1:
        return error(
            snippet.position(_template_line(exc, snippet)),
            f"a macro of snippet '{snippet.id}' calls itself without end",
            "snippet-budget",
            "stop the macro's recursion with an {% if %} on a value that changes",
        )
    message = (
        f"snippet '{snippet.id}' includes itself"
        if len(loop) == 1
        else "snippets include each other in a loop: " + " -> ".join([*loop, loop[0]])
    )
    return error(
        snippet.position(_template_line(exc, snippet)),
        message,
        "snippet-include",
        "remove one of the includes",
    )


def _declared_defaults(snippet: Snippet) -> dict[str, Any]:
    return {name: None for name in snippet.meta.variables}


#: Each library's sandbox and the templates compiled in it, by name, for the library's life.
_SANDBOXES: weakref.WeakKeyDictionary[
    Library, tuple[jinja2.Environment, dict[str, jinja2.Template]]
] = weakref.WeakKeyDictionary()


def _sandbox(library: Library) -> tuple[jinja2.Environment, dict[str, jinja2.Template]]:
    found = _SANDBOXES.get(library)
    if found is None:
        found = _SANDBOXES[library] = (_environment(library), {})
    return found


def environment(library: Library) -> jinja2.Environment:
    """The sandbox `library`'s snippets render in, made once per library (its compiled
    templates with it)."""
    return _sandbox(library)[0]


def _template(library: Library, name: str) -> jinja2.Template:
    """A snippet's compiled template, kept by name for the library's life. Jinja keeps them
    too, but in a least-recently-used list that it reorders, behind a lock, on each of the
    dozen a letter asks for (its `deque.remove` walks the list each time)."""
    env, known = _sandbox(library)
    found = known.get(name)
    if found is None:  # one that does not compile, or is not there, raises, and is never kept
        found = known[name] = env.get_template(name)
    return found


def _environment(library: Library) -> jinja2.Environment:
    # The loader holds the library weakly: the environment is kept for the library's life
    # (a weak key of `_SANDBOXES`), so a strong hold would keep every library ever loaded,
    # some 4 MB each (the preview loads one on each save of a snippet).
    held = weakref.ref(library)

    def load(name: str) -> tuple[str, str, Any] | None:
        folder, _, sid = name.partition("/")
        kind = next((k for k, f in FOLDERS.items() if f == folder), None)
        current = held()
        snippet = current.of(kind).get(sid) if kind and current is not None else None
        if snippet is None:
            return None
        return snippet.body, snippet.path, lambda: True

    filters: dict[str, Callable[..., Any]] = {
        "date": format_date,
        "date_range": format_date_range,
        "join_and": join_and,
        "number": format_number,
        "percent": format_percent,
        "money": format_money,
    }
    return sandbox_environment(jinja2.FunctionLoader(load), filters)


def _template_line(exc: BaseException, snippet: Snippet) -> int:
    """The body line Jinja was on when `exc` was raised (Jinja rewrites the traceback)."""
    line = 1
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == snippet.path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _syntax_finding(snippet: Snippet, exc: jinja2.TemplateSyntaxError) -> Finding:
    target = snippet
    if exc.filename and exc.filename != snippet.path:
        target = Snippet("", snippet.kind, exc.filename, None, "", snippet.body_line)
    return error(
        target.position(exc.lineno or 1),
        f"invalid template: {exc.message}",
        "snippet-syntax",
    )


def syntax_findings(library: Library) -> Iterator[Finding]:
    """Snippets whose template does not compile, each dropped from the library (a letter
    cannot use it) and reported at its line."""
    for kind in (Kind.ROOT_CAUSE, Kind.MEASURE, Kind.LETTER):
        for snippet in list(library.of(kind).values()):
            try:
                _template(library, snippet.template_name)  # compiled once, kept for renders
            except jinja2.TemplateSyntaxError as exc:
                del library.of(kind)[snippet.id]
                yield _syntax_finding(snippet, exc)
