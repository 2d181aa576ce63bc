"""Assembly: a case and the library become a `Letter`, the structured Plan of Action.

The letter answers Amazon's three questions in order (root causes, actions taken, preventive
measures), then lists the supporting documents. Every item remembers the case entry it came
from and the snippet that worded it, so checks and errors can point at the right line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Literal

from ..errors import Finding, InputError, did_you_mean, error
from ..model.case import (
    Action,
    Case,
    CaseFile,
    CorrectiveAction,
    NoticeIssue,
    PreventiveMeasure,
    RootCause,
)
from ..model.library import Kind, Library, Snippet
from ..model.sections import KEYS
from ..model.status import reply_to
from ..model.values import format_value
from ..templating.render import RenderError, render
from ..templating.richtext import RichText
from .letter import Item, Letter, Section

Part = Literal["opening", "closing", "request", "changes"]


def assemble(case_file: CaseFile, library: Library, *, upto: int | None = None) -> Letter:
    """Build the letter; raise `InputError` with every broken reference or snippet.

    The letter answers what Amazon last asked, if anything (`status.reply_to`); `upto` is
    the index in `follow_up` of the submission that sent it, for the letter as it was then
    (None: the letter to send next)."""
    builder = _Builder(case_file, library, upto)
    sections = builder.sections()
    if builder.problems:
        raise InputError(builder.problems)
    return Letter(case_file, sections)


class _Builder:
    def __init__(self, case_file: CaseFile, library: Library, upto: int | None = None) -> None:
        self.file = case_file
        self.case = case_file.case
        self.library = library
        self.problems: list[Finding] = []
        self.issues = self._index_issues()
        self.causes = self._index_root_causes()
        self._check_fact_references()
        self.reply = reply_to(self.case.follow_up, upto)
        # The standard variables by the issues an entry answers: most entries of a letter
        # answer the same few sets. Shared safely: the sandbox lets no snippet change them.
        self._standard: dict[tuple[str, ...], dict[str, Any]] = {}

    # -- indexes and references ----------------------------------------------------------------
    def _index_issues(self) -> dict[str, NoticeIssue]:
        issues: dict[str, NoticeIssue] = {}
        for n, issue in enumerate(self.case.notice.issues):
            where = ("notice", "issues", n)
            self._unique(issue.id, issues, (*where, "id"), "notice issue")
            issues.setdefault(issue.id, issue)
            if issue.reason not in self.library.reasons:
                self._error(
                    (*where, "reason"),
                    f"unknown reason '{issue.reason}'",
                    "unknown-reason",
                    did_you_mean(issue.reason, self.library.reasons),
                )
        return issues

    def _index_root_causes(self) -> dict[str, tuple[int, RootCause]]:
        causes: dict[str, tuple[int, RootCause]] = {}
        for n, cause in enumerate(self.case.root_causes):
            self._unique(cause.id, causes, ("root_causes", n, "id"), "root cause")
            causes.setdefault(cause.id, (n + 1, cause))
            self._known_refs(
                cause.issues, self.issues, ("root_causes", n, "issues"), "notice issue"
            )
        return causes

    def _check_fact_references(self) -> None:
        """The facts' references: metrics and IP answers name issues, entries name suppliers."""
        case = self.case
        for n, metric in enumerate(case.metrics):
            self._known_refs(metric.issues, self.issues, ("metrics", n, "issues"), "notice issue")
        for n, answer in enumerate(case.ip):
            self._known_refs(answer.issues, self.issues, ("ip", n, "issues"), "notice issue")
        suppliers: dict[str, Any] = {}
        for n, supplier in enumerate(case.suppliers):
            self._unique(supplier.id, suppliers, ("suppliers", n, "id"), "supplier")
            suppliers.setdefault(supplier.id, supplier)
        named: list[tuple[str | None, tuple[str | int, ...]]] = [
            (row.supplier, ("units", n, "supplier")) for n, row in enumerate(case.units)
        ]
        named += [
            (doc.supplier, ("evidence", n, "supplier")) for n, doc in enumerate(case.evidence)
        ]
        if case.fulfilment is not None:
            named.append((case.fulfilment.supplier, ("fulfilment", "supplier")))
        for sid, loc in named:
            if sid is not None:
                self._known_refs([sid], suppliers, loc, "supplier", index=False)

    def _unique(
        self, key: str, seen: dict[str, Any], loc: tuple[str | int, ...], what: str
    ) -> None:
        if key in seen:
            self._error(
                loc, f"duplicate {what} id '{key}'", "duplicate-id", "give each one its own id"
            )

    def _known_refs(
        self,
        refs: Sequence[str],
        known: dict[str, Any],
        loc: tuple[str | int, ...],
        what: str,
        *,
        index: bool = True,
    ) -> None:
        for i, ref in enumerate(refs):
            if ref not in known:
                self._error(
                    (*loc, i) if index else loc,
                    f"unknown {what} '{ref}'",
                    "unknown-reference",
                    did_you_mean(ref, known)
                    or (f"{what} ids here: " + ", ".join(known) if known else None),
                )

    def _error(
        self, loc: tuple[str | int, ...], message: str, rule: str, fix: str | None = None
    ) -> None:
        self.problems.append(error(self.file.position(*loc), message, rule, fix))

    # -- sections ------------------------------------------------------------------------------
    def sections(self) -> tuple[Section, ...]:
        titles = self.library.settings.sections
        parts = self.case.letter
        made = {
            "request": list(self._reply("request")),
            "changes": list(self._reply("changes")),
            "opening": list(self._letter_part(parts.opening, "opening")),
            "root_causes": list(self._root_causes()),
            "corrective_actions": list(self._measures("corrective_actions", "corrective")),
            "preventive_measures": list(self._measures("preventive_measures", "preventive")),
            "evidence": list(self._evidence()),
            "closing": list(self._letter_part(parts.closing, "closing")),
        }
        leads = self._leads()
        return tuple(
            Section(k, titles.get(k, ""), tuple(made[k]), tuple(leads.get(k, ()))) for k in KEYS
        )

    def _leads(self) -> dict[str, list[Item]]:
        """The lead paragraphs: the library's `lead` parts whose facts the case has, each
        opening its section with figures from the case (metrics, suppliers, units...)."""
        facts = conditions(self.case)
        leads: dict[str, list[Item]] = {}
        parts = self.library.letter_parts.values()
        for snippet in sorted(parts, key=lambda s: (s.meta.order, s.id)):
            meta = snippet.meta
            if meta.part != "lead" or not set(meta.when) <= facts:
                continue
            keys = [_FACT_KEYS[c] for c in meta.when if c in _FACT_KEYS]
            loc: tuple[str | int, ...] = (keys[0],) if keys else (meta.section,)
            text = self._render(snippet, {}, self.case.notice.issues, loc)
            if text is not None and text.plain().strip():
                leads.setdefault(meta.section, []).append(
                    Item(text, self.file.position(*loc, key=True), snippet)
                )
        return leads

    def _reply(self, part: Literal["request", "changes"]) -> Iterator[Item]:
        """The answers to Amazon's request, or what is new after its denial: the letter part's
        words, then one item for each point."""
        reply = self.reply
        if reply is None or reply.kind != part:
            return
        entry = reply.entry
        points = entry.request if part == "request" else entry.changes
        values = {"reply_date": entry.date, "letter_date": reply.after, "points": len(points)}
        yield from self._letter_part(getattr(self.case.letter, part), part, values)
        loc = ("follow_up", reply.index, part)
        if part == "request":
            for n, point in enumerate(entry.request):
                answer = RichText.literal(point.answer or format_value(None))
                yield Item(answer, self.file.position(*loc, n), None, point, label=point.asked)
        else:
            for n, change in enumerate(entry.changes):
                yield Item(RichText.literal(change), self.file.position(*loc, n), None, change)

    def _letter_part(
        self, sid: str | None, part: Part, values: dict[str, Any] | None = None
    ) -> Iterator[Item]:
        loc: tuple[str, ...] = ("letter", part)
        if sid is None and part in ("opening", "closing"):
            # no part named: the one that fits the notice and the case's facts
            loc = ("notice", "action") if part == "opening" else ("notice",)
            sid = choose_part(self.library, part, self.case)
        assert sid is not None, "request and changes parts always have an id"
        snippet = self._snippet(Kind.LETTER, sid, loc)
        if snippet is None:
            return
        if snippet.meta.part != part:
            self._error(
                loc,
                f"snippet '{sid}' is the letter's {snippet.meta.part}, not its {part}",
                "snippet-kind",
            )
            return
        text = self._render(snippet, values or {}, self.case.notice.issues, loc)
        if text is not None:
            yield Item(text, self.file.position(*loc), snippet)

    def _root_causes(self) -> Iterator[Item]:
        for n, cause in enumerate(self.case.root_causes):
            loc = ("root_causes", n)
            issues = [self.issues[i] for i in cause.issues if i in self.issues]
            text = self._written(cause, Kind.ROOT_CAUSE, issues, loc, {})
            if text is not None:
                yield Item(
                    text,
                    self.file.position(*loc),
                    self._used(cause, Kind.ROOT_CAUSE),
                    cause,
                    label=self._label(cause),
                )

    def _measures(self, key: str, use: Literal["corrective", "preventive"]) -> Iterator[Item]:
        entries: Sequence[CorrectiveAction | PreventiveMeasure] = getattr(self.case, key)
        for n, entry in enumerate(entries):
            loc = (key, n)
            self._known_refs(entry.root_causes, self.causes, (*loc, "root_causes"), "root cause")
            causes = [self.causes[c] for c in entry.root_causes if c in self.causes]
            issues = [self.issues[i] for _, c in causes for i in c.issues if i in self.issues]
            extra = (
                {"done": entry.done}
                if isinstance(entry, CorrectiveAction)
                else {"since": entry.since, "owner": entry.owner}
            )
            snippet = self._used(entry, Kind.MEASURE)
            if snippet is not None and not snippet.meta.serves(use):
                other = "preventive_measures" if use == "corrective" else "corrective_actions"
                self._error(
                    (*loc, "snippet"),
                    f"measure '{snippet.id}' is {snippet.meta.kind}, not {use}",
                    "snippet-kind",
                    f"move it to {other}, or choose a {use} measure",
                )
                continue
            text = self._written(entry, Kind.MEASURE, _distinct(issues), loc, extra)
            if text is not None:
                yield Item(
                    text,
                    self.file.position(*loc),
                    snippet,
                    entry,
                    answers=tuple(sorted({number for number, _ in causes})),
                )

    def _evidence(self) -> Iterator[Item]:
        for n, document in enumerate(self.case.evidence):
            yield Item(
                RichText.literal(document.title), self.file.position("evidence", n), None, document
            )

    # -- snippets ------------------------------------------------------------------------------
    def _label(self, cause: RootCause) -> str | None:
        """What went wrong, in a few words: the cause's own title, else its snippet's."""
        if cause.title is not None:
            return cause.title
        snippet = self._used(cause, Kind.ROOT_CAUSE)
        return str(snippet.meta.title) if snippet is not None else None

    def _used(self, entry: Any, kind: Kind) -> Snippet | None:
        return self.library.of(kind).get(entry.snippet) if entry.snippet else None

    def _snippet(self, kind: Kind, sid: str, loc: tuple[str | int, ...]) -> Snippet | None:
        snippet = self.library.of(kind).get(sid)
        if snippet is None:
            self._error(
                loc,
                f"unknown {kind} snippet '{sid}'",
                "unknown-snippet",
                did_you_mean(sid, self.library.of(kind)),
            )
        return snippet

    def _written(
        self,
        entry: Any,
        kind: Kind,
        issues: Sequence[NoticeIssue],
        loc: tuple[str | int, ...],
        extra: dict[str, Any],
    ) -> RichText | None:
        if entry.text is not None:
            return RichText.literal(entry.text)
        snippet = self._snippet(kind, entry.snippet, (*loc, "snippet"))
        if snippet is None or not self._vars_fit(snippet, entry.vars, loc):
            return None
        return self._render(snippet, {**extra, **entry.vars}, issues, loc)

    def _vars_fit(
        self, snippet: Snippet, given: dict[str, Any], loc: tuple[str | int, ...]
    ) -> bool:
        declared = snippet.meta.variables
        fits = True
        for name in given:
            if name not in declared:
                fits = False
                self.problems.append(
                    error(
                        self.file.position(*loc, "vars", name, key=True),
                        f"snippet '{snippet.id}' has no variable '{name}'",
                        "unknown-variable",
                        did_you_mean(name, declared) or _declares(declared),
                    )
                )
        for name, variable in declared.items():
            if variable.required and given.get(name) in (None, ""):
                fits = False
                self.problems.append(
                    error(
                        self.file.position(*loc, "vars")
                        if given
                        else self.file.position(*loc, "snippet"),
                        f"snippet '{snippet.id}' needs the variable '{name}' "
                        f"({variable.description})",
                        "missing-variable",
                        f"add it under vars, e.g. {name}: {variable.example!s}"
                        if variable.example is not None
                        else None,
                    )
                )
        return fits

    def _render(
        self,
        snippet: Snippet,
        values: dict[str, Any],
        issues: Sequence[NoticeIssue],
        loc: tuple[str | int, ...],
    ) -> RichText | None:
        key = tuple(issue.id for issue in issues)
        standard = self._standard.get(key)
        if standard is None:
            standard = self._standard[key] = standard_context(self.case, issues, self.library)
        # a snippet's own variable wins over a standard one of the same name
        declared = snippet.meta.variables
        context = {**{k: v for k, v in standard.items() if k not in declared}, **values}
        try:
            return render(self.library, snippet, context, case=str(self.file.position(*loc)))
        except RenderError as exc:
            self.problems.append(exc.finding)
            return None


def _declares(declared: dict[str, Any]) -> str:
    return "it declares: " + ", ".join(declared) if declared else "it declares no variables"


def _distinct(issues: Sequence[NoticeIssue]) -> list[NoticeIssue]:
    return list({issue.id: issue for issue in issues}.values())


def standard_context(
    case: Case, issues: Sequence[NoticeIssue], library: Library | None = None
) -> dict[str, Any]:
    """The standard variables of "How to write a snippet", as plain data: the seller, the
    notice, the issues an entry answers with their ids, and the case's facts about them."""
    seller = case.seller.model_dump()
    notice = case.notice.model_dump(exclude={"issues", "text"})
    notice["action"] = str(case.notice.action)
    listed = [issue.model_dump() for issue in issues]
    asins = _flat(i.asins for i in issues)
    return {
        "seller": seller,
        "notice": notice,
        "issues": listed,
        "asins": asins,
        "orders": _flat(i.orders for i in issues),
        "complaints": _flat(i.complaints for i in issues),
        "done": None,
        "since": None,
        "owner": None,
        **facts_context(case, issues, library),
    }


def facts_context(
    case: Case, issues: Sequence[NoticeIssue], library: Library | None = None
) -> dict[str, Any]:
    """The case's facts about `issues`: their metrics (each with `counts`, what its rate
    counts, and `defect`, what a defective one is), the suppliers, the units accounting
    (`accounting`, the case's `units`) and the incentives of their ASINs, their IP answers,
    how orders are filled, how stock is graded, and the supporting documents."""
    ids = {issue.id for issue in issues}
    asins = set(_flat(i.asins for i in issues))
    reasons = {issue.id: issue.reason for issue in case.notice.issues}
    metrics = []
    for metric in case.metrics:
        if ids & set(metric.issues):
            row = metric.model_dump()
            row.update(_metric_words(library, [reasons.get(i, "") for i in metric.issues]))
            metrics.append(row)
    return {
        "metrics": metrics,
        "suppliers": [_supplier(s) for s in case.suppliers],
        "accounting": [_units(r, case) for r in case.units if r.asin in asins],
        "ip": [_ip(a, reasons) for a in case.ip if ids & set(a.issues)],
        "fulfilment": case.fulfilment.model_dump() if case.fulfilment else None,
        "grading": _grading(case, asins),
        "incentives": [i.model_dump() for i in case.incentives if asins & set(i.asins)],
        "evidence": [d.model_dump() for d in case.evidence],
    }


#: The reasons whose complaints are about a right: their id names the kind of right.
IP_REASONS = ("trademark", "copyright", "patent")

#: How a supplier's role reads in a letter.
ROLE_WORDS = {
    "brand-owner": "the brand owner",
    "manufacturer": "the manufacturer",
    "authorised-distributor": "an authorised distributor of the brand",
    "wholesaler": "a wholesaler",
    "retailer": "a retailer",
    "unverified": "a supplier we could not verify",
}


def _supplier(supplier: Any) -> dict[str, Any]:
    row: dict[str, Any] = supplier.model_dump()
    row["role_words"] = ROLE_WORDS.get(row["role"] or "")
    return row


def _ip(answer: Any, reasons: dict[str, str]) -> dict[str, Any]:
    """An IP answer, with `kind`: the reason of its first issue (trademark, copyright...)."""
    row: dict[str, Any] = answer.model_dump()
    reason = reasons.get(answer.issues[0], "")
    row["kind"] = reason if reason in IP_REASONS else "intellectual property"
    return row


def _units(row: Any, case: Case) -> dict[str, Any]:
    data: dict[str, Any] = row.model_dump()
    data["invoiced"] = row.units_invoiced
    names = {s.id: s.name for s in case.suppliers}
    data["supplier_name"] = names.get(row.supplier or "")
    return data


def _grading(case: Case, asins: set[str]) -> dict[str, Any] | None:
    if case.grading is None:
        return None
    data: dict[str, Any] = case.grading.model_dump()
    data["stock"] = [row for row in data["stock"] if row["asin"] in asins]
    return data


def _metric_words(library: Library | None, reasons: Sequence[str]) -> dict[str, Any]:
    """How a metric's counts read, as its reason says: what it counts (orders, units,
    packages) and what a defective one is ("delivered late"); orders "with a defect" if
    unsure."""
    for rid in reasons:
        reason = library.reasons.get(rid) if library is not None else None
        if reason is not None and reason.meta.metric is not None:
            metric = reason.meta.metric
            return {"counts": str(metric.counts), "defect": str(metric.defect)}
    return {"counts": "orders", "defect": "with a defect"}


# -- the letter parts that fit a case ------------------------------------------------------------

ACCOUNT_ACTIONS = frozenset(
    {Action.ACCOUNT_DEACTIVATED, Action.ACCOUNT_SUSPENDED, Action.FUNDS_HELD}
)
LISTING_ACTIONS = frozenset(
    {Action.LISTINGS_REMOVED, Action.LISTINGS_RESTRICTED, Action.CATEGORY_RESTRICTED}
)


def conditions(case: Case) -> frozenset[str]:
    """The facts of `case` a letter part can depend on (`Condition` in the library model)."""
    action = case.notice.action
    facts = {
        "account": action in ACCOUNT_ACTIONS,
        "listing": action in LISTING_ACTIONS,
        "warning": action is Action.WARNING,
        "asins": any(issue.asins for issue in case.notice.issues),
        "metrics": bool(case.metrics),
        "since-fix": any(m.since_fix is not None for m in case.metrics),
        "suppliers": bool(case.suppliers),
        "units": bool(case.units),
        "ip": bool(case.ip),
        "fulfilment": case.fulfilment is not None,
        "grading": case.grading is not None and bool(case.grading.stock),
        "incentives": bool(case.incentives),
        "evidence": bool(case.evidence),
    }
    return frozenset(name for name, holds in facts.items() if holds)


def choose_part(library: Library, part: Literal["opening", "closing"], case: Case) -> str:
    """The opening or closing for a case that names none: of the parts that declare the facts
    they need (`when`), the most specific one the case satisfies; else the one called `part`."""
    facts = conditions(case)
    fitting = [
        s
        for s in library.letter_parts.values()
        if s.meta.part == part and s.meta.when and set(s.meta.when) <= facts
    ]
    if not fitting:
        return part
    return max(fitting, key=lambda s: (len(s.meta.when), s.id)).id


#: The case field each fact comes from: where a lead made of it points.
_FACT_KEYS = {
    "metrics": "metrics",
    "since-fix": "metrics",
    "suppliers": "suppliers",
    "units": "units",
    "ip": "ip",
    "fulfilment": "fulfilment",
    "grading": "grading",
    "incentives": "incentives",
    "evidence": "evidence",
}


def _flat(lists: Iterator[list[str]] | Any) -> list[str]:
    return list(dict.fromkeys(x for values in lists for x in values))
