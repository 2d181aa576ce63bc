"""The snippet library: reasons, root causes, measures and letter parts under `snippets/`.

Each snippet is a Markdown file with YAML front matter; its id is its file name. Bodies are
Jinja2 templates rendered in a sandbox with `StrictUndefined`, and every value they print goes
through `RichText` markers, so case data never becomes markup (see `richtext`).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2.exceptions import SecurityError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import sandbox, yamlsource
from .checks.tone import ToneRule, ToneScanner, check_examples, load_tone_rules
from .errors import Finding, InputError, Position, did_you_mean, error
from .richtext import RichText, format_date, join_and


class Kind(StrEnum):
    REASON = "reason"
    ROOT_CAUSE = "root-cause"
    MEASURE = "measure"
    LETTER = "letter"


FOLDERS: dict[Kind, str] = {
    Kind.REASON: "reasons",
    Kind.ROOT_CAUSE: "root-causes",
    Kind.MEASURE: "measures",
    Kind.LETTER: "letter",
}

#: Names every snippet body may use without declaring them (see "How to write a snippet").
STANDARD_VARIABLES = frozenset(
    {"seller", "notice", "issues", "asins", "orders", "complaints", "done", "since", "owner"}
)


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variable(_Meta):
    description: str = Field(min_length=1)
    required: bool = False
    example: Any = None


class SnippetMeta(_Meta):
    title: str = Field(min_length=1)
    summary: str | None = None
    reasons: list[str] = Field(default_factory=list)
    variables: dict[str, Variable] = Field(default_factory=dict)


class Metric(_Meta):
    name: str
    target: str
    window: str | None = None


class Policy(_Meta):
    id: str
    title: str


class ReasonMeta(SnippetMeta):
    summary: str = Field(min_length=1)
    category: Literal["performance", "intellectual-property", "product", "conduct", "account"]
    signals: list[str] = Field(default_factory=list)
    metric: Metric | None = None
    policies: list[Policy] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    investigation: list[str] = Field(default_factory=list)
    root_causes: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    document_only: bool = False
    requires_evidence: bool = False  # every ASIN under review needs a supporting document
    accepted_files: list[str] | None = None  # file types, where the notices name their own


class RootCauseMeta(SnippetMeta):
    reasons: list[str] = Field(min_length=1)


class MeasureMeta(SnippetMeta):
    reasons: list[str] = Field(min_length=1)
    kind: Literal["corrective", "preventive", "both"]
    systemic: bool = False

    def serves(self, use: Literal["corrective", "preventive"]) -> bool:
        return self.kind in (use, "both")


class LetterMeta(SnippetMeta):
    part: Literal["opening", "closing"]


META_MODELS: dict[Kind, type[SnippetMeta]] = {
    Kind.REASON: ReasonMeta,
    Kind.ROOT_CAUSE: RootCauseMeta,
    Kind.MEASURE: MeasureMeta,
    Kind.LETTER: LetterMeta,
}


class Limits(_Meta):
    words: int | None = Field(None, gt=0)
    characters: int | None = Field(None, gt=0)


class Settings(_Meta):
    """`snippets/library.yaml`: what the whole library shares."""

    sections: dict[str, str] = Field(
        default_factory=lambda: {
            "root_causes": "Root causes",
            "corrective_actions": "Actions taken",
            "preventive_measures": "Preventive measures",
            "evidence": "Supporting documents",
        }
    )
    limits: dict[str, Limits] = Field(default_factory=dict)
    accepted_files: list[str] = Field(default_factory=lambda: ["pdf", "jpg", "jpeg", "png", "gif"])
    follow_up_days: int = Field(7, gt=0)


@dataclass(frozen=True)
class Snippet:
    id: str
    kind: Kind
    path: str  # as displayed in messages, e.g. snippets/reasons/inauthentic.md
    meta: Any  # the kind's SnippetMeta subclass
    body: str
    body_line: int  # line of the file on which the body starts
    front: yamlsource.Document | None = None  # the front matter, with positions

    def meta_position(self, *loc: str | int) -> Position:
        if self.front is None:
            return Position(self.path)
        return self.front.position(loc)

    @property
    def template_name(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.id}"

    def position(self, line_in_body: int = 1) -> Position:
        return Position(self.path, self.body_line + line_in_body - 1, 1)


class RenderError(Exception):
    """A snippet failed to render; `finding` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass
class Library:
    root: Path
    snippets: dict[Kind, dict[str, Snippet]] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    findings: list[Finding] = field(default_factory=list)
    tone_rules: tuple[ToneRule, ...] = ()
    _scanner: ToneScanner | None = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def remember(self, key: str, make: Callable[[], Any]) -> Any:
        """What `make` gives, made once per loaded library (pages that depend on it alone)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    _env: jinja2.Environment | None = None
    budget: sandbox.Budget = sandbox.DEFAULT_BUDGET

    # -- lookup -----------------------------------------------------------------------------
    def of(self, kind: Kind) -> dict[str, Snippet]:
        return self.snippets.setdefault(kind, {})

    @property
    def reasons(self) -> dict[str, Snippet]:
        return self.of(Kind.REASON)

    @property
    def root_causes(self) -> dict[str, Snippet]:
        return self.of(Kind.ROOT_CAUSE)

    @property
    def measures(self) -> dict[str, Snippet]:
        return self.of(Kind.MEASURE)

    @property
    def letter_parts(self) -> dict[str, Snippet]:
        return self.of(Kind.LETTER)

    def reason_title(self, rid: str) -> str:
        """The reason's title, or its id where the library has no such reason."""
        reason = self.reasons.get(rid)
        return str(reason.meta.title) if reason else rid

    @property
    def tone_scanner(self) -> ToneScanner:
        """The tone rules, with what they found in the library's own sentences remembered."""
        if self._scanner is None or self._scanner.rules is not self.tone_rules:
            self._scanner = ToneScanner(self.tone_rules)
        return self._scanner

    def signals(self) -> dict[str, list[str]]:
        return {rid: list(s.meta.signals) for rid, s in self.reasons.items()}

    # -- rendering --------------------------------------------------------------------------
    @property
    def env(self) -> jinja2.Environment:
        if self._env is None:
            self._env = _environment(self)
        return self._env

    def render(self, snippet: Snippet, context: Mapping[str, Any], case: str) -> RichText:
        """Render a snippet body; a `RenderError` names the snippet line and the case."""
        context = {**_declared_defaults(snippet), **context}
        try:
            with sandbox.spend(self.budget) as values:
                template = self.env.get_template(snippet.template_name)
                skeleton = template.render(context)
                sandbox.check_output(skeleton)
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
        except sandbox.OverBudget as exc:
            raise RenderError(
                error(
                    snippet.position(_template_line(exc, snippet)),
                    f"snippet '{snippet.id}' went over its render budget (used by case "
                    f"{case}): {exc}",
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
            raise RenderError(self._missing_include(snippet, exc, case)) from None
        except RecursionError as exc:
            raise RenderError(self._include_loop(snippet, exc)) from None
        except Exception as exc:  # snippet code is user-authored: any failure is a finding
            raise RenderError(
                error(
                    snippet.position(_template_line(exc, snippet)),
                    f"snippet '{snippet.id}' failed for case {case}: {exc}",
                    "snippet-render",
                )
            ) from None
        return RichText(skeleton, tuple(values))

    def _template_names(self) -> list[str]:
        return [s.template_name for kind in FOLDERS for s in self.of(kind).values()]

    def _missing_include(
        self, snippet: Snippet, exc: jinja2.TemplateNotFound, case: str
    ) -> Finding:
        """`{% include %}` (or import, extends) of a name that is not a snippet: a file path,
        `../x`, a typo. The loader only ever answers with snippets of this library."""
        return error(
            snippet.position(_template_line(exc, snippet)),
            f"snippet '{snippet.id}' includes '{exc.name}', which is not a snippet of the "
            f"library (used by case {case})",
            "snippet-include",
            did_you_mean(str(exc.name), self._template_names())
            or "name a snippet by its folder and id, e.g. 'measures/supplier-vetting'",
        )

    def _include_loop(self, snippet: Snippet, exc: RecursionError) -> Finding:
        """Snippets including each other: the loop, read from the (Jinja-rewritten) traceback."""
        paths = {s.path: s.template_name for kind in FOLDERS for s in self.of(kind).values()}
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


def _environment(library: Library) -> jinja2.Environment:
    def load(name: str) -> tuple[str, str, Any] | None:
        folder, _, sid = name.partition("/")
        kind = next((k for k, f in FOLDERS.items() if f == folder), None)
        snippet = library.of(kind).get(sid) if kind else None
        if snippet is None:
            return None
        return snippet.body, snippet.path, lambda: True

    filters: dict[str, Callable[..., Any]] = {"date": format_date, "join_and": join_and}
    return sandbox.environment(jinja2.FunctionLoader(load), filters)


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


# -- loading ------------------------------------------------------------------------------------


def load_library(root: Path, display_root: str = "snippets") -> Library:
    """Load every snippet under `root`; problems are collected in `library.findings`."""
    library = Library(root)
    library.settings = _load_settings(
        root / "library.yaml", f"{display_root}/library.yaml", library
    )
    for kind, folder in FOLDERS.items():
        directory = root / folder
        for path in sorted(directory.glob("*.md")) if directory.is_dir() else []:
            display = f"{display_root}/{folder}/{path.name}"
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                library.findings.append(_outside(display))
                continue
            try:
                snippet = load_snippet(path, display, kind)
            except InputError as exc:
                library.findings.extend(exc.findings)
                continue
            library.of(kind)[snippet.id] = snippet
    library.tone_rules = _load_tone_rules(
        root / "tone-rules.yaml", f"{display_root}/tone-rules.yaml", library
    )
    library.findings.extend(_cross_references(library))
    library.findings.extend(_syntax_problems(library))
    return library


def _outside(display: str) -> Finding:
    """A snippet that links out of the library: it would publish a file nobody reviewed."""
    return error(
        Position(display),
        "the snippet file links to a file outside the snippet library",
        "snippet-outside",
        "copy the file into snippets/ instead of linking to it",
    )


def _load_settings(path: Path, display: str, library: Library) -> Settings:
    if not path.exists():
        return Settings()
    try:
        document = yamlsource.load(yamlsource.read_text(path, display), display)
        return Settings.model_validate(document.data or {})
    except InputError as exc:
        library.findings.extend(exc.findings)
    except ValidationError as exc:
        library.findings.extend(
            error(
                document.position(tuple(d["loc"])),
                f"{_loc(d['loc'])}: {d['msg']}",
                "library-settings",
            )
            for d in exc.errors()
        )
    return Settings()


def _load_tone_rules(path: Path, display: str, library: Library) -> tuple[ToneRule, ...]:
    if not path.exists():
        return ()
    try:
        rules = load_tone_rules(path, display)
    except InputError as exc:
        library.findings.extend(exc.findings)
        return ()
    library.findings.extend(
        error(rule.position, problem.removeprefix(f"{rule.position}: "), "tone-rule-example")
        for rule in rules
        for problem in check_examples((rule,))
    )
    return rules


def split_front_matter(text: str, display: str) -> tuple[str, str, int]:
    """(front matter, body, line the body starts on) of a snippet file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise InputError(
            [
                error(
                    Position(display),
                    "expected front matter: a '---' line, YAML, then another '---' line",
                    "snippet-front-matter",
                    "start the file with ---, a title: line, and ---",
                )
            ]
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise InputError(
        [
            error(
                Position(display),
                "the front matter has no closing '---' line",
                "snippet-front-matter",
            )
        ]
    )


def load_snippet(path: Path, display: str, kind: Kind) -> Snippet:
    text = yamlsource.read_text(path, display)
    front, body, body_line = split_front_matter(text, display)
    document = yamlsource.load(front, display, first_line=2)
    data = document.data if document.data is not None else {}
    model = META_MODELS[kind]
    if not isinstance(data, dict):
        raise InputError(
            [
                error(
                    document.position(),
                    "expected the front matter to be a mapping of keys to values, found "
                    + ("a list" if isinstance(data, list) else "a single value"),
                    "snippet-front-matter",
                    "write one 'key: value' per line, starting with title:",
                )
            ]
        )
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        raise InputError([_meta_finding(d, document, model) for d in exc.errors()]) from None
    sid = path.name.removesuffix(".md")
    return Snippet(sid, kind, display, meta, body, body_line, document)


def _meta_finding(detail: Any, document: yamlsource.Document, model: type[SnippetMeta]) -> Finding:
    loc = tuple(detail["loc"])
    if detail["type"] == "missing":
        return error(
            document.position(loc[:-1]),
            f"missing required front matter key '{_loc(loc)}'",
            "snippet-front-matter",
        )
    if detail["type"] == "extra_forbidden":
        known = list(model.model_fields) if len(loc) == 1 else list(Variable.model_fields)
        return error(
            document.position(loc, key=True),
            f"unknown front matter key '{_loc(loc)}'",
            "snippet-front-matter",
            did_you_mean(str(loc[-1]), known),
        )
    return error(
        document.position(loc),
        f"front matter '{_loc(loc)}': {detail['msg']}",
        "snippet-front-matter",
    )


def _loc(loc: Any) -> str:
    return ".".join(str(part) for part in loc)


def _cross_references(library: Library) -> Iterator[Finding]:
    """Every reason a snippet names, and every snippet a reason suggests, must exist."""
    reasons = library.reasons
    for kind in (Kind.ROOT_CAUSE, Kind.MEASURE):
        for snippet in library.of(kind).values():
            for index, rid in enumerate(snippet.meta.reasons):
                if rid not in reasons:
                    yield error(
                        snippet.meta_position("reasons", index),
                        f"unknown reason '{rid}' in 'reasons'",
                        "unknown-reason",
                        did_you_mean(rid, reasons),
                    )
    for reason in reasons.values():
        for key, kind in (("root_causes", Kind.ROOT_CAUSE), ("measures", Kind.MEASURE)):
            known = library.of(kind)
            for index, sid in enumerate(getattr(reason.meta, key)):
                if sid not in known:
                    yield error(
                        reason.meta_position(key, index),
                        f"unknown {kind} '{sid}' in '{key}'",
                        "unknown-snippet",
                        did_you_mean(sid, known),
                    )


def _syntax_problems(library: Library) -> Iterator[Finding]:
    for kind in (Kind.ROOT_CAUSE, Kind.MEASURE, Kind.LETTER):
        for snippet in list(library.of(kind).values()):
            try:
                library.env.get_template(snippet.template_name)
            except jinja2.TemplateSyntaxError as exc:
                del library.of(kind)[snippet.id]
                yield _syntax_finding(snippet, exc)


def sample_context(snippet: Snippet, standard: Mapping[str, Any]) -> dict[str, Any]:
    """Standard variables plus each declared variable's example: what the tests render."""
    return {**standard, **{n: v.example for n, v in snippet.meta.variables.items()}}
