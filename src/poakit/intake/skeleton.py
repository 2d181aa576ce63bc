"""`poa new`: the commented skeleton of a case file, optionally filled from a pasted notice.

The skeleton is written as text, not dumped from data, so every field carries a one-line
comment. What the writer cannot know is left as `TBD` (or empty, for dates), which the review
flags until it is filled in: `poa check` on an untouched skeleton is the to-do list.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import UsageError, did_you_mean
from ..fileio import write_atomic
from ..model.case import MAX_SLUG, RESERVED_SLUGS, Action, Route, is_slug, slug_suggestion
from ..model.library import Library, Snippet
from ..source.layout import CASES_DIR, SNIPPETS_DIR, display_path
from ..source.library import read_library
from ..source.yaml import MAX_BYTES
from .lexicon import Lexicon
from .notice import Deadline, Metric, NoticeReading, read_notice

PLACEHOLDER = "TBD"
#: The largest notice `poa new --from-notice` reads; real notices are a few kilobytes.
MAX_NOTICE_BYTES = 500_000  # the notice goes into the case file, which `poa check` reads to 1 MB
COMMENT_COLUMN = 36
_WIDTH = 100


@dataclass(frozen=True)
class Issue:
    """A notice issue for the skeleton: from the notice reader, or one per --reason."""

    id: str
    reason: str | None
    asins: Sequence[str] = ()
    orders: Sequence[str] = ()
    complaints: Sequence[str] = ()
    doubt: str | None = None  # why the notice's reading of it may be wrong


def new_case(
    root: Path, slug: str, reasons: Sequence[str], notice_text: str | None, today: dt.date
) -> tuple[Path, NoticeReading | None]:
    """Write cases/SLUG.yaml under `root` (never over an existing file); what `poa new` does."""
    check_slug(slug)
    target = root / CASES_DIR / f"{slug}.yaml"
    for taken in (target, target.with_suffix(".yml")):
        if os.path.lexists(taken):
            raise UsageError(
                f"{display_path(taken)} already exists; poa new never overwrites a case"
            )
    library = read_library(root / SNIPPETS_DIR)
    check_reasons(reasons, library)
    reading = (
        read_notice(notice_text, Lexicon.from_library(library)) if notice_text is not None else None
    )
    issues = plan_issues(reasons, reading)
    body = render_skeleton(slug, issues, library, today, reading, notice_text)
    if len(body.encode("utf-8")) > MAX_BYTES:  # a case `poa check` would refuse to read
        raise UsageError(
            f"with this notice the case would be larger than {MAX_BYTES // 1000} kB, more than "
            "poa check reads; paste only the notice's own text"
        )
    target.parent.mkdir(exist_ok=True)
    write_atomic(target, body.encode("utf-8"))
    return target, reading


def notice_text(source: str, stdin: BinaryIO) -> str:
    """The pasted notice, from the file `source` or, for "-", from `stdin`, decoded leniently,
    with its line breaks made "\\n"; a file that cannot be read, or one larger than
    `MAX_NOTICE_BYTES`, is a `UsageError`."""
    if source == "-":
        raw = stdin.read(MAX_NOTICE_BYTES + 1)
    else:
        try:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_NOTICE_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"cannot read the notice {source}: {exc.strerror}") from None
    if len(raw) > MAX_NOTICE_BYTES:
        raise UsageError(
            f"the notice is larger than {MAX_NOTICE_BYTES // 1000} kB; paste only the notice"
        )
    # Windows editors save "Unicode" as UTF-16, with a byte-order mark: read it as such
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = raw.decode("utf-16" if utf16 else "utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise UsageError(f"'{slug}' is taken by a page of the site; choose another slug")
    if not is_slug(slug):
        raise UsageError(
            f"'{slug}' is not a valid case slug: use lower-case letters, digits and hyphens, "
            f"at most {MAX_SLUG} characters (e.g. '{slug_suggestion(slug)}')"
        )


def check_reasons(reasons: Iterable[str], library: Library) -> None:
    for rid in reasons:
        if rid not in library.reasons:
            hint = did_you_mean(rid, library.reasons) or "see the Reasons catalogue"
            raise UsageError(f"unknown reason '{rid}' ({hint})")


def plan_issues(reasons: Sequence[str], reading: NoticeReading | None) -> list[Issue]:
    """The issues of the new case: the notice's, then any --reason it did not already cover."""
    issues: list[Issue] = []
    if reading is not None:
        for found in reading.issues:
            issues.append(
                Issue(
                    _issue_id(found.reason or "issue", issues),
                    found.reason,
                    found.asins,
                    found.orders,
                    found.complaints,
                    found.doubt,
                )
            )
    covered = {i.reason for i in issues}
    for rid in reasons:
        if rid not in covered:
            issues.append(Issue(_issue_id(rid, issues), rid))
    return issues or [Issue("issue", None, doubt=_no_reason(reading))]


def _no_reason(reading: NoticeReading | None) -> str | None:
    """Why a notice gave no issue at all (None without a notice)."""
    if reading is None:
        return None
    foreign = next((note for note in reading.unknown if "no language" in note), None)
    return foreign or "no reason recognised: no phrase of any catalogue reason was found"


def _issue_id(base: str, taken: Sequence[Issue]) -> str:
    ids = {i.id for i in taken}
    candidate, n = base, 2
    while candidate in ids:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def render_skeleton(
    slug: str,
    issues: Sequence[Issue],
    library: Library,
    today: dt.date,
    reading: NoticeReading | None = None,
    notice_text: str | None = None,
) -> str:
    w = _Writer()
    w.raw("# yaml-language-server: $schema=../schema/case.schema.json")
    w.raw(f"# Case '{slug}', started with `poa new` on {today.isoformat()}.")
    w.raw(
        f"# Replace every {PLACEHOLDER}; `poa check cases/{slug}.yaml` lists what is still missing."
    )
    if reading is not None:
        _read_as(w, reading, library)
    w.line("visibility: private", "public: published on the site; private: local preview only")
    _seller(w, reading)
    _notice(w, issues, library, today, reading, notice_text)
    if reading is not None:
        _metrics(w, issues, library, reading)
    checks = _required_checks(issues, library)
    _facts(w, issues, library, reading, checks)
    w.line("investigation:", "what you reviewed, and what it showed")
    w.line(f"  - source: {PLACEHOLDER}", "e.g. Supplier invoices, January to September 2026")
    w.line(f"    finding: {PLACEHOLDER}", "what the review found, with figures")
    _suggestions(w, issues, library)
    w.line("evidence:", "the documents you attach (pdf, jpg, png); cover every ASIN")
    w.line(f"  - title: {PLACEHOLDER}", "as the reviewer will see it named")
    kind = "screenshot" if "ip-route" in checks else "invoice"  # invoices do not answer IP
    w.line(f"    kind: {kind}", "invoice, loa, test-report, screenshot, sop, ...")
    w.line("    date:", "the document's date (YYYY-MM-DD)")
    asins = sorted({a for i in issues for a in i.asins})
    w.line(f"    asins: {_flow(asins)}", "the ASINs it covers")
    if "suppliers" in checks:
        w.line(f"    supplier: {_SUPPLIER_ID}", "the supplier that issued it (under suppliers)")
    for key in ("orders", "complaints"):
        listed = sorted({value for i in issues for value in getattr(i, key)})
        if listed:
            w.line(f"    {key}: {_flow(listed)}", f"the {key} it covers")
    w.line(f"    file: {PLACEHOLDER}.pdf", f"the file you will attach, kept in evidence/{slug}/")
    w.line("follow_up: []", f"`poa sent {slug}` records the letter and the event when you send it")
    w.line("lessons: []", "what this case taught, once it is decided")
    return w.text()


def _seller(w: _Writer, reading: NoticeReading | None) -> None:
    marketplace = reading.marketplace if reading and reading.marketplace else "amazon.com"
    w.line("seller:")
    w.line(f"  name: {PLACEHOLDER}", "the legal business name on the account")
    w.line(f"  store: {PLACEHOLDER}", "the store name buyers see")
    w.line(f"  merchant_token: {PLACEHOLDER}", "Settings > Account Info > Merchant Token")
    w.line(f"  marketplace: {marketplace}", "the marketplace of the notice")
    w.line(f"  signatory: {{name: {PLACEHOLDER}, title: {PLACEHOLDER}}}", "who signs the letter")


def _notice(
    w: _Writer,
    issues: Sequence[Issue],
    library: Library,
    today: dt.date,
    reading: NoticeReading | None,
    notice_text: str | None,
) -> None:
    action = reading.action if reading and reading.action else Action.ACCOUNT_DEACTIVATED.value
    window = reading.evidence_window_days if reading and reading.evidence_window_days else 365
    w.line("notice:")
    w.line(f"  received: {today.isoformat()}", "the date the notice arrived: check it")
    w.line(f"  action: {action}", " | ".join(a.value for a in Action))
    w.line(f"  evidence_window_days: {window}", "how far back the requested invoices must reach")
    if reading is not None:
        _route(w, reading)
        _deadline(w, reading.deadline, today)
    if notice_text and notice_text.strip():
        w.raw("  text: |2")  # explicit indentation: the notice may start with spaces
        for line in _printable(notice_text).strip("\n").splitlines():
            w.raw(f"    {line}".rstrip())
    w.line("  issues:", "every issue Amazon raised; each must be answered")
    for issue in issues:
        title = library.reason_title(issue.reason) if issue.reason else "the reason"
        if issue.doubt:
            w.comment("    ", issue.doubt)
        w.line(f"    - id: {issue.id}", "a short id; root causes name it")
        w.line(
            f"      reason: {issue.reason or PLACEHOLDER}",
            title if issue.reason else "a reason id from the catalogue",
        )
        for key in ("asins", "orders", "complaints"):
            values = getattr(issue, key)
            if values:
                w.line(f"      {key}: {_flow(values)}")
        w.line(f"      summary: {PLACEHOLDER}", "what Amazon raised, in one sentence")


def _read_as(w: _Writer, reading: NoticeReading, library: Library) -> None:
    """Say how the notice was read, so the reader knows what to check it against."""
    language = library.notices.languages.get(reading.language or "")
    if language is not None and reading.language != "en":
        w.raw(f"# The notice was read as {language.name} ({reading.language}); the letter stays in")
        w.raw("# English. Check every value below against the notice.")
    elif reading.language is None and library.notices.languages:
        known = ", ".join(sorted(library.notices.languages))
        w.raw(f"# The notice is in no language poakit reads ({known}): its ids are filled in,")
        w.raw(f"# its reasons are not. Every {PLACEHOLDER} below is yours to fill.")


_ROUTES = {
    Route.PLAN_OF_ACTION: "a plan of action: root causes, actions taken, prevention",
    Route.DOCUMENTS: "documents only (invoices, a letter of authorisation, an ID): no letter",
    Route.QUESTIONNAIRE: "a questionnaire on Account Health",
    Route.ACKNOWLEDGEMENT: "an acknowledgement on Account Health",
    Route.RETRACTION: "a retraction the rights owner sends to Amazon",
    Route.NONE: "nothing to send: the notice needs no appeal",
}


def _route(w: _Writer, reading: NoticeReading) -> None:
    """What the notice asks for, and the words of the notice that say so."""
    if reading.route is None:
        w.line(
            f"  route: {Route.PLAN_OF_ACTION.value}",
            "the notice does not say what to send: check; "
            + " | ".join(route.value for route in Route),
        )
        return
    said = ", ".join(json.dumps(phrase, ensure_ascii=False) for phrase in reading.route_signals)
    w.line(f"  route: {reading.route}", f"{_ROUTES[Route(reading.route)]} (the notice: {said})")


def _deadline(w: _Writer, deadline: Deadline | None, received: dt.date) -> None:
    """The date to reply by: as the notice gives it, or counted from the day it arrived."""
    if deadline is None:
        w.line("  deadline:", "none stated; the date the notice asks for a reply by (YYYY-MM-DD)")
        return
    quoted = json.dumps(deadline.text, ensure_ascii=False)
    if deadline.date is not None:
        w.line(f"  deadline: {deadline.date.isoformat()}", f"the notice: {quoted}")
        return
    if deadline.days is None:
        w.line("  deadline:", f"the notice: {quoted}; set the date (YYYY-MM-DD)")
        return
    due = _add_days(received, deadline.days, deadline.business_days)
    w.line(
        f"  deadline: {due.isoformat()}",
        f"the notice: {quoted}, counted from received: check both dates",
    )


def _add_days(start: dt.date, days: int, business: bool) -> dt.date:
    if not business:
        return start + dt.timedelta(days=days)
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def _metrics(w: _Writer, issues: Sequence[Issue], library: Library, reading: NoticeReading) -> None:
    """The metrics the notice quotes off target, each tied to the issue of its reason."""
    by_reason = {issue.reason: issue.id for issue in issues if issue.reason}
    quoted = [m for m in reading.metrics if m.within_target is False and m.reason in by_reason]
    if not quoted:
        return
    w.line("metrics:", "the rates the notice quotes off target; the letter states them")
    for metric in quoted:
        name, wording = _metric_name(metric, reading, library)
        w.line(f"  - issues: [{by_reason[metric.reason]}]")
        w.line(f"    name: {_scalar(name)}", wording)
        w.line(f"    target: {_scalar(metric.target or PLACEHOLDER)}")
        w.line(f"    rate: {metric.rate:g}", "percent")
        if metric.window_days:
            w.line(f"    window_days: {metric.window_days}")
        if metric.defective is not None and metric.total is not None:
            w.line(
                f"    defective: {metric.defective}", f"{metric.defective:,} of {metric.total:,}"
            )
            w.line(f"    total: {metric.total}")


def _metric_name(metric: Metric, reading: NoticeReading, library: Library) -> tuple[str, str]:
    """The metric's name for an English letter: the notice's own in an English notice, else
    the English name the store gives it; and a comment saying where it comes from."""
    if reading.language in (None, "en"):
        return metric.name, "as the notice names it"
    english = library.metric_name(metric.reason, reading.marketplace or "")
    return english, f"the notice says {json.dumps(metric.name, ensure_ascii=False)}"


_PLAIN = re.compile(r"[A-Za-z][\w .%'-]*")


def _scalar(text: str) -> str:
    """`text` as a YAML value: plain when it is safely plain, else double-quoted."""
    return text if _PLAIN.fullmatch(text) and not text.endswith(" ") else json.dumps(text)


def _suggestions(w: _Writer, issues: Sequence[Issue], library: Library) -> None:
    """The reasons' suggested root causes and measures, as choices to keep or delete."""
    causes: list[tuple[Snippet, str]] = []
    for issue in issues:
        reason = library.reasons.get(issue.reason or "")
        for sid in reason.meta.root_causes if reason else ():
            if sid in library.root_causes and all(c.id != sid for c, _ in causes):
                causes.append((library.root_causes[sid], issue.id))
    w.line("root_causes:", "keep the causes that are true, delete the rest")
    if not causes:
        w.line(f"  - id: {PLACEHOLDER.lower()}-cause", "a short id for this cause")
        w.line(f"    issues: [{issues[0].id}]", "the notice issues it explains")
        w.line(f"    text: {PLACEHOLDER}", "what went wrong and why, in the first person")
    for snippet, issue_id in causes:
        w.line(f"  - id: {snippet.id}")
        w.line(f"    issues: [{issue_id}]")
        _snippet_entry(w, snippet)
    corrective, preventive = _measures(issues, library)
    empty = "" if corrective else " []"
    w.line(f"corrective_actions:{empty}", "done: past tense, dated; delete those you did not do")
    for snippet, cause_ids in corrective:
        w.line(f"  - root_causes: {_flow(cause_ids or [c.id for c, _ in causes])}")
        _snippet_entry(w, snippet)
        w.line("    done:", "the date it was completed (YYYY-MM-DD)")
    empty = "" if preventive else " []"
    w.line(
        f"preventive_measures:{empty}", "ongoing: start date, owner; delete those you do not run"
    )
    for snippet, cause_ids in preventive:
        w.line(f"  - root_causes: {_flow(cause_ids or [c.id for c, _ in causes])}")
        _snippet_entry(w, snippet)
        w.line("    since:", "the date it started (YYYY-MM-DD)")
        w.line(f"    owner: {PLACEHOLDER}", "the person or role responsible")
    if not corrective and not preventive:
        w.raw("# no measures suggested: add entries with `snippet:` from the Measures catalogue")


def _measures(
    issues: Sequence[Issue],
    library: Library,
) -> tuple[list[tuple[Snippet, list[str]]], list[tuple[Snippet, list[str]]]]:
    corrective: list[tuple[Snippet, list[str]]] = []
    preventive: list[tuple[Snippet, list[str]]] = []
    seen: set[str] = set()
    for issue in issues:
        reason = library.reasons.get(issue.reason or "")
        if reason is None:
            continue
        causes = [c for c in reason.meta.root_causes if c in library.root_causes]
        for mid in reason.meta.measures:
            measure = library.measures.get(mid)
            if measure is None or mid in seen:
                continue
            seen.add(mid)
            target = corrective if measure.meta.kind != "preventive" else preventive
            target.append((measure, causes))
    return corrective, preventive


def _snippet_entry(w: _Writer, snippet: Snippet) -> None:
    """The snippet line and its variables: required ones to fill, optional ones commented."""
    w.line(f"    snippet: {snippet.id}", snippet.meta.title)
    variables = snippet.meta.variables
    if not variables:
        return
    required = any(v.required for v in variables.values())
    w.line("    vars:" if required else "    # vars:")
    for name, variable in variables.items():
        if variable.required and isinstance(variable.example, dt.date):
            w.line(f"      {name}:", f"required: {variable.description} (YYYY-MM-DD)")
        elif variable.required:
            w.line(f"      {name}: {PLACEHOLDER}", f"required: {variable.description}")
        else:
            w.line(f"      # {name}: {PLACEHOLDER}", f"optional: {variable.description}")


# -- the facts the reasons require (their `requirements`; see review/requirements.py) -----------

_SUPPLIER_ID = "supplier-1"


def _required_checks(issues: Sequence[Issue], library: Library) -> set[str]:
    """The requirement checks of the issues' reasons (metric, suppliers, units...)."""
    reasons = [library.reasons.get(issue.reason or "") for issue in issues]
    return {r.check for reason in reasons if reason for r in reason.meta.requirements}


def _facts(
    w: _Writer,
    issues: Sequence[Issue],
    library: Library,
    reading: NoticeReading | None,
    checks: set[str],
) -> None:
    """The blocks of facts the reasons require, each with what to fill in; a number that is
    not known yet is a commented line, so the skeleton still loads and `poa check` lists it."""
    if "metric" in checks:
        _metrics_to_fill(w, issues, library)
    if "suppliers" in checks:
        _suppliers(w)
    if "units" in checks:
        _units(w, issues)
    if "ip-route" in checks:
        _ip(w, issues, library, reading)
    if "fulfilment" in checks:
        _commented(w, "fulfilment", _FULFILMENT, "how orders are filled now (drop shipping)")
    if "grading" in checks:
        _commented(w, "grading", _GRADING, "how stock is graded before it is sold as New")
    if "incentives" in checks:
        _commented(w, "incentives", _INCENTIVES, "what was given for reviews: count and value")


def _metrics_to_fill(w: _Writer, issues: Sequence[Issue], library: Library) -> None:
    """The metrics of the issues' reasons, commented, to fill in from Account Health where
    the notice quotes none (the notice reader writes those it quotes, see `_metrics`)."""
    if any(line.startswith("metrics:") for line in w.lines):
        return
    listed = [
        (issue, library.reasons[issue.reason].meta.metric)
        for issue in issues
        if issue.reason in library.reasons and library.reasons[issue.reason].meta.metric
    ]
    w.line("metrics: []", "the rate, target, window and counts of each metric; e.g.:")
    for issue, metric in listed:
        w.raw(f"  # - issues: [{issue.id}]")
        w.raw(f"  #   name: {metric.name}  # as the notice names it")
        w.raw(f"  #   target: {metric.target}")
        w.raw("  #   rate: 0  # in percent")
        w.raw(f"  #   defective: 0  # the {metric.counts} counted")
        w.raw(f"  #   total: 0  # all {metric.counts} in the window")
        w.raw(f"  #   window_days: 0  # Amazon's window: {metric.window or '?'}")


def _suppliers(w: _Writer) -> None:
    w.line("suppliers:", "every supplier of the ASINs under review, as on its invoices")
    w.line(f"  - id: {_SUPPLIER_ID}", "a short id; units and evidence name it")
    w.line(f"    name: {PLACEHOLDER}", "the supplier's legal name")
    w.line(
        "    # role: authorised-distributor",
        "brand-owner, manufacturer, authorised-distributor, wholesaler, retailer, unverified",
    )
    for key, comment in (
        ("address", "street, town, postcode, country"),
        ("phone", "a number Amazon can call"),
        ("website", "the supplier's website"),
        ("email", "a contact e-mail address"),
    ):
        w.line(f"    {key}: {PLACEHOLDER}", comment)


def _units(w: _Writer, issues: Sequence[Issue]) -> None:
    asins = list(dict.fromkeys(a for issue in issues for a in issue.asins)) or [PLACEHOLDER]
    w.line("units: []", "per ASIN, in the evidence window; bought = sold + removed + on hand")
    for asin in asins:
        w.raw(
            f"  # - {{asin: {asin}, supplier: {_SUPPLIER_ID}, bought: 0, sold: 0, removed: 0, "
            "on_hand: 0}"
        )


def _ip(
    w: _Writer, issues: Sequence[Issue], library: Library, reading: NoticeReading | None
) -> None:
    owner = reading.rights_owner if reading else None
    ids = [i.id for i in issues if i.reason in ("trademark", "copyright", "patent")]
    w.line("ip: []", "how each IP complaint is answered; choose the route, e.g.:")
    w.raw(f"  # - issues: {_flow(ids)}")
    w.raw(f"  #   right: {PLACEHOLDER}  # the trademark, work or patent the notice names")
    w.raw(f"  #   owner: {owner.name if owner and owner.name else PLACEHOLDER}")
    w.raw(f"  #   owner_email: {owner.email if owner and owner.email else PLACEHOLDER}")
    w.raw("  #   route: not-used  # retraction | authorisation | not-used")
    w.raw(f"  #   change: {PLACEHOLDER}  # not-used: what was removed from the listing")


_FULFILMENT = (
    "ships_from: own-stock  # own-stock | supplier (a drop shipping agreement)",
    "seller_of_record: true  # we alone are named on every slip, invoice and package",
    f"returns: {PLACEHOLDER}  # where returns go and who processes them",
    f"stock_out: {PLACEHOLDER}  # what happens to an offer when stock runs out",
)
_GRADING = (
    f"rule: {PLACEHOLDER}  # when a unit stays New, checked without opening it",
    "opened: used  # used | returned | disposed | refurbished: never New again",
    "stock:",
    "  - {asin: TBD, checked: 0, sealed: 0, opened: 0}",
)
_INCENTIVES = (
    f"- what: {PLACEHOLDER}  # e.g. a 15 USD gift card for a five-star review",
    "  asins: []",
    "  count: 0  # how many buyers or orders received it",
    "  value: 0  # its total value",
    "  currency: USD",
)


def _commented(w: _Writer, key: str, lines: Sequence[str], comment: str) -> None:
    empty = "[]" if key == "incentives" else "null"
    w.line(f"{key}: {empty}", f"{comment}; uncomment and fill in:")
    for line in lines:
        w.raw(f"  # {line}")


def _printable(text: str) -> str:
    """Text YAML can hold in a block scalar: other control characters become U+FFFD."""
    return re.sub(
        r"[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "\ufffd", text
    )


def _flow(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) if v.isdigit() else v for v in values) + "]"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def raw(self, text: str) -> None:
        self.lines.append(text)

    def comment(self, indent: str, text: str) -> None:
        """A comment of its own, wrapped to the width of the file."""
        words = " ".join(text.split()).split(" ")
        line = ""
        for word in words:
            if line and len(indent) + 2 + len(line) + 1 + len(word) > _WIDTH:
                self.lines.append(f"{indent}# {line}")
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line:
            self.lines.append(f"{indent}# {line}")

    def line(self, text: str, comment: str | None = None) -> None:
        if comment:
            comment = " ".join(comment.split())
            text = f"{text.ljust(COMMENT_COLUMN - 1)} # {comment}"
        self.lines.append(text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
