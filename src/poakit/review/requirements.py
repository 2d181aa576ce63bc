"""What each reason requires: the facts a letter must state and the evidence that must back
them, checked against the case and the letter.

A reason declares its requirements in its front matter (`requirements:` in
`snippets/reasons/*.md`), each naming one of the checks below (`model.library.CHECKS`), what
the letter must state, what must back it, and where the requirement comes from (its source,
shown on the reason's catalogue page). The checks read the case's facts (`metrics`,
`suppliers`, `units`, `ip`, `fulfilment`, `grading`, `incentives`, `evidence`) and the
letter's text; a finding points at the case entry to add or correct.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ..errors import Finding, Level, Position, error
from ..letter.assemble import IP_REASONS
from ..model.case import (
    Case,
    Evidence,
    IpRoute,
    Metric,
    MetricFigures,
    NoticeIssue,
    ShipsFrom,
    SupplierRole,
)
from ..model.library import Library, Requirement, Snippet
from ..model.values import format_number, format_percent
from .structure import Review

RULES: dict[str, str] = {
    "metric-missing": "a metric reason's issue without a metrics entry (rate, target, counts)",
    "metric-counts-missing": "a metrics entry without its counts or its window",
    "metric-rate": "a rate that does not agree with its counts, within rounding",
    "metric-name": "a metric named by no store's name for the metric of its reason",
    "metric-not-stated": "a letter that does not state the notified rate and counts",
    "since-fix-missing": "a metric without its rate since the fix",
    "suppliers-missing": "a reason that needs a supplier table, in a case without one",
    "supplier-details-missing": "a supplier without address, phone, website or e-mail",
    "supplier-not-listed": "an invoice, or a company the letter names, with no supplier entry",
    "evidence-required": "an ASIN or issue without the document kind its reason requires",
    "units-missing": "an ASIN under review without its units accounting",
    "units-do-not-add-up": "units bought that do not equal units sold, removed and on hand",
    "units-not-invoiced": "fewer units on invoices than units sold",
    "ip-route-missing": "an IP complaint with no route (retraction, authorisation, not-used)",
    "ip-route-evidence": "an IP route without what backs it, or with a forwarded retraction",
    "ip-evidence-does-not-answer": "invoices offered against an IP complaint they do not answer",
    "ip-type-mismatch": "a letter that argues another kind of right than the notice names",
    "fulfilment-missing": "a drop shipping case that does not say how orders are filled now",
    "fulfilment-incomplete": "a supply route without seller of record, agreement or returns",
    "grading-missing": "a condition case without its grading rule and graded stock",
    "grading-does-not-add-up": "units checked that do not equal units sealed and opened",
    "incentives-missing": "a review case without the count and value of the incentives",
    "statement-missing": "a letter that does not state what its reason requires",
}


@dataclass(frozen=True)
class Need:
    """One requirement of one reason, and the notice issues (with their index) it applies to."""

    reason: Snippet
    requirement: Requirement
    issues: tuple[tuple[int, NoticeIssue], ...]

    @property
    def level(self) -> Level:
        return Level(self.requirement.level)

    @property
    def title(self) -> str:
        return str(self.reason.meta.title)

    def finding(self, where: Position, message: str, rule: str, fix: str | None = None) -> Finding:
        return Finding(where, self.level, message, rule, fix)


Checker = Callable[[Review, Need], Iterator[Finding]]


def requirement_findings(review: Review) -> Iterator[Finding]:
    """Every requirement of every reason the notice cites, checked once per reason."""
    for need in needs(review.case.notice.issues, review.library):
        yield from CHECKERS[need.requirement.check](review, need)


def wording_findings(review: Review) -> Iterator[Finding]:
    """The requirements that read only the letter's words (for a letter as it was sent)."""
    for need in needs(review.case.notice.issues, review.library):
        checker = WORDING_CHECKERS.get(need.requirement.check)
        if checker is not None:
            yield from checker(review, need)


def needs(issues: Sequence[NoticeIssue], library: Library) -> list[Need]:
    """The requirements of the reasons of `issues`, each with the issues citing the reason."""
    by_reason: dict[str, list[tuple[int, NoticeIssue]]] = {}
    for n, issue in enumerate(issues):
        if issue.reason in library.reasons:
            by_reason.setdefault(issue.reason, []).append((n, issue))
    return [
        Need(library.reasons[rid], requirement, tuple(listed))
        for rid, listed in by_reason.items()
        for requirement in library.reasons[rid].meta.requirements
    ]


# -- the letter's text -----------------------------------------------------------------------


def letter_text(review: Review) -> str:
    """All the words of the letter, labels included, as plain text."""
    return review.text


def _issue_where(review: Review, n: int) -> Position:
    return review.file.position("notice", "issues", n)


def _ids(need: Need) -> set[str]:
    return {issue.id for _, issue in need.issues}


def _asins(need: Need) -> list[tuple[int, int, str]]:
    """(issue index, ASIN index, ASIN) of the need's issues, each ASIN once."""
    seen: set[str] = set()
    out = []
    for n, issue in need.issues:
        for i, asin in enumerate(issue.asins):
            if asin not in seen:
                seen.add(asin)
                out.append((n, i, asin))
    return out


# -- metric ------------------------------------------------------------------------------------


def check_metric(review: Review, need: Need) -> Iterator[Finding]:
    case, ids = review.case, _ids(need)
    for n, issue in need.issues:
        if not any(issue.id in m.issues for m in case.metrics):
            yield need.finding(
                _issue_where(review, n),
                f"{need.title}: the case has no metrics entry for issue '{issue.id}'; the "
                "letter must state the rate, target, window and counts the notice gives",
                "metric-missing",
                f"add to metrics: {{issues: [{issue.id}], name: ..., rate: ..., target: ..., "
                "window_days: ..., defective: ..., total: ...}",
            )
    for m, metric in enumerate(case.metrics):
        if ids & set(metric.issues):
            yield from _metric_entry(review, need, m, metric)


def _metric_entry(review: Review, need: Need, m: int, metric: Metric) -> Iterator[Finding]:
    where = ("metrics", m)
    missing = [k for k in ("defective", "total", "window_days") if getattr(metric, k) is None]
    if missing:
        yield need.finding(
            review.file.position(*where),
            f"metric '{metric.name}' has no {_and(missing)}",
            "metric-counts-missing",
            "copy the counts and the window from the notice or from Account Health",
        )
    higher = need.reason.meta.metric is not None and need.reason.meta.metric.higher_is_better
    yield from _rate_agrees(review, metric, where, higher)
    if metric.since_fix is not None:
        yield from _rate_agrees(review, metric.since_fix, (*where, "since_fix"), higher)
    yield from _metric_name(review, need, m, metric)
    yield from _metric_stated(review, need, m, metric)


def check_metric_stated(review: Review, need: Need) -> Iterator[Finding]:
    """The part of `check_metric` that reads only the letter's words."""
    ids = _ids(need)
    for m, metric in enumerate(review.case.metrics):
        if ids & set(metric.issues):
            yield from _metric_stated(review, need, m, metric)


def _metric_stated(review: Review, need: Need, m: int, metric: Metric) -> Iterator[Finding]:
    stated = _stated(letter_text(review), metric)
    if stated:
        yield need.finding(
            review.file.position("metrics", m),
            f"the letter does not state the notice's {metric.name} of {stated}",
            "metric-not-stated",
            "use a letter library with the metric lead (letter/metric-figures), or state the "
            "rate and the counts in the first root cause",
        )


def _rate_agrees(
    review: Review, figures: MetricFigures, where: tuple[str | int, ...], higher: bool
) -> Iterator[Finding]:
    """The rate against its counts: the defective share, or for a rate of what went right
    (`higher`: Valid Tracking, On-Time Delivery) 100% less it."""
    if figures.defective is None or figures.total is None:
        return
    share = 100 * figures.defective / figures.total
    computed = 100 - share if higher else share
    decimals = _decimals(figures.rate)
    # Amazon rounds or truncates to the decimals it shows: one unit of the last one is allowed.
    if abs(computed - figures.rate) > 10**-decimals + 1e-9:
        of = "without" if higher else "with"
        yield error(
            review.file.position(*where, "rate"),
            f"rate {format_percent(figures.rate)} does not agree with "
            f"{format_number(figures.defective)} defective of {format_number(figures.total)} "
            f"({computed:.2f}% {of} a defect)",
            "metric-rate",
            "check the rate and the counts against the notice: `defective` counts the ones "
            "that failed (late, cancelled, untracked)",
        )


def _decimals(rate: float) -> int:
    text = f"{rate:.6f}".rstrip("0")
    return len(text.partition(".")[2])


def _metric_name(review: Review, need: Need, m: int, metric: Metric) -> Iterator[Finding]:
    """A metric named as some store names the reason's metric (`snippets/stores.yaml`): the
    letter uses the notice's own name, which is not always its store's usual one."""
    if need.reason.meta.metric is None:
        return
    library = review.library
    if metric.name.casefold() in {n.casefold() for n in library.metric_names(need.reason.id)}:
        return
    expected = library.metric_name(need.reason.id, review.case.seller.marketplace)
    yield Finding(
        review.file.position("metrics", m, "name"),
        Level.WARNING,
        f"metric '{metric.name}' is not the metric of {need.title} ('{expected}')",
        "metric-name",
        "name the metric as the notice does, or cite the reason that watches it",
    )


def _stated(text: str, metric: Metric) -> str:
    """What the letter leaves out of the notified figures ("" when it states them all)."""
    rate = format_percent(metric.rate)
    wanted = [rate]
    if metric.defective is not None and metric.total is not None:
        wanted += [format_number(metric.defective), format_number(metric.total)]
    missing = [w for w in wanted if not _says(text, w)]
    if not missing:
        return ""
    counts = (
        f" ({format_number(metric.defective)} of {format_number(metric.total)})"
        if metric.defective is not None and metric.total is not None
        else ""
    )
    return rate + counts


def _says(text: str, figure: str) -> bool:
    number = re.escape(figure.rstrip("%"))
    suffix = r"\s?%" if figure.endswith("%") else r"(?![\d,.]\d)"
    return re.search(rf"(?<![\d.,]){number}{suffix}", text) is not None


def check_since_fix(review: Review, need: Need) -> Iterator[Finding]:
    ids = _ids(need)
    for m, metric in enumerate(review.case.metrics):
        if ids & set(metric.issues) and metric.since_fix is None:
            yield need.finding(
                review.file.position("metrics", m),
                f"metric '{metric.name}' has no rate since the fix; Amazon's staff ask for the "
                "effect of measures already in place",
                "since-fix-missing",
                "add since_fix: {rate, defective, total, start, end} once the fix has run a "
                "week or two, or silence the rule with the reason",
            )


# -- suppliers, evidence, units --------------------------------------------------------------

_CONTACT = ("address", "phone", "website", "email")
#: A company as a letter names it: capitalised words ending in a legal form.
_COMPANY = re.compile(
    r"\b(?:[A-Z][\w&'-]*\s){1,4}(?:Ltd|Limited|LLC|L\.L\.C\.|Inc|Corp|Co|GmbH|PLC|LLP|Pty|S\.A|B\.V)\b\.?"
)


def check_suppliers(review: Review, need: Need) -> Iterator[Finding]:
    case = review.case
    if not case.suppliers:
        n = need.issues[0][0]
        yield need.finding(
            _issue_where(review, n),
            f"{need.title}: the case has no suppliers; the letter must name every supplier "
            "with its address, phone, website and e-mail",
            "suppliers-missing",
            "add suppliers: [{id, name, role, address, phone, website, email}]",
        )
    for s, supplier in enumerate(case.suppliers):
        missing = [k for k in _CONTACT if getattr(supplier, k) is None]
        if missing:
            yield need.finding(
                review.file.position("suppliers", s),
                f"supplier '{supplier.name}' has no {_and(missing)}",
                "supplier-details-missing",
                "add them as the supplier's invoices show them: Amazon may contact the supplier",
            )
    for d, doc in enumerate(case.evidence):
        if _is_invoice(doc) and doc.supplier is None:
            yield need.finding(
                review.file.position("evidence", d),
                f"invoice '{doc.title}' names no supplier",
                "supplier-not-listed",
                "add supplier: ID, the supplier (under suppliers) that issued it",
            )
    yield from _companies_not_listed(review, need)


def _companies_not_listed(review: Review, need: Need) -> Iterator[Finding]:
    case = review.case
    known = [case.seller.name, *(s.name for s in case.suppliers), *(a.owner for a in case.ip)]
    known_keys = {_company_key(name) for name in known}
    reported: set[str] = set()
    for section in review.letter.sections:
        for item in section.everything:
            for match in _COMPANY.finditer(item.text.plain()):
                name = match.group().strip()
                key = _company_key(name)
                if key in reported or any(key in k or k in key for k in known_keys if k):
                    continue
                reported.add(key)
                yield Finding(
                    item.position,
                    Level.WARNING,
                    f"the letter names '{name}', which is not among the case's suppliers",
                    "supplier-not-listed",
                    "add it to suppliers with its contact details, if it supplied the goods",
                )


def _company_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def _is_invoice(doc: Evidence) -> bool:
    return (doc.kind or "").casefold() == "invoice"


def check_evidence(review: Review, need: Need) -> Iterator[Finding]:
    req, notice = need.requirement, review.case.notice
    kinds = {k.casefold() for k in req.kinds}
    earliest = _earliest(review, req)
    fitting = [
        doc
        for doc in review.case.evidence
        if (doc.kind or "").casefold() in kinds
        and (earliest is None or (doc.date is not None and earliest <= doc.date <= notice.received))
    ]
    rejected = [d for d in review.case.evidence if (d.kind or "").casefold() in req.rejected_kinds]
    what = _or(req.kinds) + (f" dated from {earliest.isoformat()}" if earliest else "")
    also = (
        f" ('{rejected[0].title}' is a {rejected[0].kind}, which does not count)"
        if rejected
        else ""
    )
    if req.per_asin:
        covered = {asin for doc in fitting for asin in doc.asins}
        for n, i, asin in _asins(need):
            if asin not in covered:
                yield need.finding(
                    review.file.position("notice", "issues", n, "asins", i),
                    f"ASIN {asin} has no {what}{also}; {need.title} needs one for every ASIN",
                    "evidence-required",
                    f"add to evidence a document of kind {req.kinds[0]} with asins: [{asin}]",
                )
    elif not fitting:
        yield need.finding(
            _issue_where(review, need.issues[0][0]),
            f"{need.title}: no {what}{also}",
            "evidence-required",
            f"add to evidence a document of kind {req.kinds[0]}",
        )


def _earliest(review: Review, req: Requirement) -> dt.date | None:
    notice = review.case.notice
    days = req.max_age_days or (notice.evidence_window_days if req.in_window else None)
    return None if days is None else notice.received - dt.timedelta(days=days)


def check_units(review: Review, need: Need) -> Iterator[Finding]:
    rows = review.case.units
    for n, i, asin in _asins(need):
        if not any(row.asin == asin for row in rows):
            yield need.finding(
                review.file.position("notice", "issues", n, "asins", i),
                f"ASIN {asin} has no units accounting (bought, sold, removed, on hand in the "
                "evidence window)",
                "units-missing",
                f"add to units: {{asin: {asin}, supplier: ..., bought: ..., sold: ..., "
                "removed: ..., on_hand: ...}",
            )
    for u, row in enumerate(rows):
        accounted = row.sold + row.removed + row.on_hand
        if accounted != row.bought:
            yield error(
                review.file.position("units", u),
                f"{row.asin}: {format_number(row.bought)} bought, but "
                f"{format_number(row.sold)} sold + {format_number(row.removed)} removed + "
                f"{format_number(row.on_hand)} on hand = {format_number(accounted)}",
                "units-do-not-add-up",
                "account for every unit: count the stock again, or add the units removed",
            )
    for asin in dict.fromkeys(row.asin for row in rows):
        mine = [(u, r) for u, r in enumerate(rows) if r.asin == asin]
        sold = sum(r.sold for _, r in mine)
        invoiced = sum(r.units_invoiced for _, r in mine)
        if invoiced < sold:
            yield error(
                review.file.position("units", mine[0][0]),
                f"{asin}: {format_number(sold)} units sold but only {format_number(invoiced)} "
                "on invoices",
                "units-not-invoiced",
                "find the invoices for the units sold, or explain and remove the units that "
                "have none",
            )


# -- intellectual property ---------------------------------------------------------------------

_RIGHT_WORDS = {
    "trademark": re.compile(r"\btrade ?marks?\b", re.IGNORECASE),
    "copyright": re.compile(r"\bcopyright\w*", re.IGNORECASE),
    "patent": re.compile(r"\bpatent\w*", re.IGNORECASE),
}
_RIGHT_DOCUMENTS = {"loa", "licence", "license", "authorisation", "authorization"}
_CHAIN = {SupplierRole.BRAND_OWNER, SupplierRole.AUTHORISED_DISTRIBUTOR}


def check_ip_route(review: Review, need: Need) -> Iterator[Finding]:
    case = review.case
    for n, issue in need.issues:
        answers = [(a, x) for a, x in enumerate(case.ip) if issue.id in x.issues]
        if not answers:
            yield need.finding(
                _issue_where(review, n),
                f"{need.title}: issue '{issue.id}' has no route: a retraction the rights "
                "owner sends to Amazon, a letter of authorisation, or proof that the listing "
                "does not use the protected element",
                "ip-route-missing",
                f"add to ip: {{issues: [{issue.id}], right: ..., owner: ..., route: "
                "retraction | authorisation | not-used}",
            )
        for a, answer in answers:
            yield from _route_backed(review, need, a, answer.route, issue)
    yield from _invoices_against_ip(review, need)


def _route_backed(
    review: Review, need: Need, a: int, route: IpRoute, issue: NoticeIssue
) -> Iterator[Finding]:
    case, answer = review.case, review.case.ip[a]
    where = review.file.position("ip", a)
    forwarded = [d for d in case.evidence if (d.kind or "").casefold() == "retraction"]
    if forwarded:
        yield need.finding(
            where,
            f"'{forwarded[0].title}' is attached, but Amazon accepts a retraction only when "
            "the rights owner sends it (to notice-retraction@amazon.com, or for a patent "
            "evaluation to patent-evaluation@amazon.com)",
            "ip-route-evidence",
            "remove it from evidence and ask the rights owner to write to Amazon",
        )
    if route is IpRoute.RETRACTION and answer.asked is None:
        yield need.finding(
            where,
            f"route retraction: no date on which {answer.owner} was asked to retract",
            "ip-route-evidence",
            "add asked: YYYY-MM-DD",
        )
    elif route is IpRoute.AUTHORISATION and not _authorised(case, issue):
        yield need.finding(
            where,
            "route authorisation: no letter of authorisation or licence (evidence kind loa) "
            f"covers {_and(issue.asins) or 'the issue'}",
            "ip-route-evidence",
            "attach the rights owner's letter of authorisation as a document of kind loa",
        )
    elif route is IpRoute.NOT_USED and answer.change is None:
        yield need.finding(
            where,
            "route not-used: the case does not say what was removed or changed",
            "ip-route-evidence",
            "add change: what was removed from the listing, and where",
        )


def _authorised(case: Case, issue: NoticeIssue) -> bool:
    docs = [d for d in case.evidence if (d.kind or "").casefold() in _RIGHT_DOCUMENTS]
    return any(not issue.asins or set(issue.asins) & set(d.asins) for d in docs)


def _invoices_against_ip(review: Review, need: Need) -> Iterator[Finding]:
    """Invoices answer an IP complaint only as part of an authorisation from the rights
    owner's chain; from anyone else they show where goods came from, not a right to use."""
    case = review.case
    routes = {x.route for x in case.ip if _ids(need) & set(x.issues)}
    chain = {s.id for s in case.suppliers if s.role in _CHAIN}
    for d, doc in enumerate(case.evidence):
        if not _is_invoice(doc):
            continue
        if IpRoute.AUTHORISATION in routes and doc.supplier in chain:
            continue
        yield Finding(
            review.file.position("evidence", d),
            Level.WARNING,
            f"invoice '{doc.title}' does not answer a {need.reason.id} complaint: it shows "
            "where the goods came from, not a right to use the "
            f"{_RIGHT_NOUN.get(need.reason.id, 'right')}",
            "ip-evidence-does-not-answer",
            "attach what backs the route: the edited listing, or the rights owner's authorisation",
        )


_RIGHT_NOUN = {"trademark": "mark", "copyright": "work", "patent": "invention"}


def check_ip_type(review: Review, need: Need) -> Iterator[Finding]:
    own = {issue.reason for issue in review.case.notice.issues if issue.reason in IP_REASONS}
    others = {k: p for k, p in _RIGHT_WORDS.items() if k not in own}
    reported: set[str] = set()
    for section in review.letter.sections:
        if section.key == "evidence":
            continue  # a document's title names what it is
        for item in section.everything:
            for kind, pattern in others.items():
                match = pattern.search(item.text.plain())
                if match and kind not in reported:
                    reported.add(kind)
                    yield need.finding(
                        item.position,
                        f"the notice names a {need.reason.id} complaint, but the letter "
                        f"talks about {kind}: '{_around(item.text.plain(), match)}'",
                        "ip-type-mismatch",
                        f"answer the {need.reason.id} complaint only; take the {kind} wording out",
                    )


def _around(text: str, match: re.Match[str], width: int = 30) -> str:
    start = max(0, match.start() - width)
    end = min(len(text), match.end() + width)
    return ("..." if start else "") + text[start:end].strip() + ("..." if end < len(text) else "")


# -- drop shipping, condition, reviews ----------------------------------------------------------


def check_fulfilment(review: Review, need: Need) -> Iterator[Finding]:
    route = review.case.fulfilment
    if route is None:
        yield need.finding(
            _issue_where(review, need.issues[0][0]),
            f"{need.title}: the case does not say how orders are filled now (fulfilment: "
            "ships_from, seller_of_record, returns)",
            "fulfilment-missing",
            "add fulfilment: {ships_from: own-stock | supplier, seller_of_record: true, "
            "returns: ...}",
        )
        return
    where = review.file.position("fulfilment")
    gaps = []
    if not route.seller_of_record:
        gaps.append("we are not the seller of record on every slip, invoice and package")
    if route.returns is None:
        gaps.append("no one is named for returns")
    if route.ships_from is ShipsFrom.SUPPLIER:
        if route.supplier is None:
            gaps.append("no supplier is named")
        if route.agreement is None:
            gaps.append("no date for the drop shipping agreement")
        elif not any((d.kind or "").casefold() == "agreement" for d in review.case.evidence):
            gaps.append("the agreement is not among the evidence (kind agreement)")
    for gap in gaps:
        yield need.finding(
            where,
            f"supply route: {gap}",
            "fulfilment-incomplete",
            "the drop shipping policy asks for all of it: seller of record, a signed "
            "agreement, and returns handled by the seller",
        )


def check_grading(review: Review, need: Need) -> Iterator[Finding]:
    grading = review.case.grading
    if grading is None:
        yield need.finding(
            _issue_where(review, need.issues[0][0]),
            f"{need.title}: the case does not say how units are graded and what happens to "
            "opened ones (grading: rule, opened, stock)",
            "grading-missing",
            "add grading: {rule: ..., opened: used | returned | disposed | refurbished, "
            "stock: [{asin, checked, sealed, opened}]}",
        )
        return
    graded = {row.asin for row in grading.stock}
    for n, i, asin in _asins(need):
        if asin not in graded:
            yield need.finding(
                review.file.position("notice", "issues", n, "asins", i),
                f"ASIN {asin} is not in grading.stock",
                "grading-missing",
                f"add {{asin: {asin}, checked: ..., sealed: ..., opened: ...}} to grading.stock",
            )
    for r, row in enumerate(grading.stock):
        if row.sealed + row.opened != row.checked:
            yield error(
                review.file.position("grading", "stock", r),
                f"{row.asin}: {format_number(row.checked)} checked, but "
                f"{format_number(row.sealed)} sealed + {format_number(row.opened)} opened = "
                f"{format_number(row.sealed + row.opened)}",
                "grading-does-not-add-up",
                "every unit checked is either sealed or opened",
            )


def check_incentives(review: Review, need: Need) -> Iterator[Finding]:
    asins = {asin for _, _, asin in _asins(need)}
    if not any(asins & set(i.asins) or not asins for i in review.case.incentives):
        yield need.finding(
            _issue_where(review, need.issues[0][0]),
            f"{need.title}: the case does not count the incentives (what, ASINs, how many, "
            "total value)",
            "incentives-missing",
            "add incentives: [{what: ..., asins: [...], count: ..., value: ..., currency: ...}]",
        )


# -- statements --------------------------------------------------------------------------------


def check_statement(review: Review, need: Need) -> Iterator[Finding]:
    if not states(need.requirement, letter_text(review)):
        yield need.finding(
            _issue_where(review, need.issues[0][0]),
            f"{need.title}: the letter does not state {need.requirement.states[0].lower()}"
            f"{need.requirement.states[1:].rstrip('.')}",
            "statement-missing",
            "say it in the root causes or the actions taken",
        )


def states(requirement: Requirement, text: str) -> bool:
    """Whether `text` says what a statement requirement asks for (one of its patterns)."""
    return any(p.search(text) for p in _compiled(tuple(requirement.patterns)))


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def library_findings(library: Library) -> Iterator[Finding]:
    """Requirements that cannot work: an id used twice in a reason, a pattern that does not
    compile, a statement that fails its own examples (they are tested like tone rules)."""
    for reason in library.reasons.values():
        seen: set[str] = set()
        for r, req in enumerate(reason.meta.requirements):
            where = reason.meta_position("requirements", r)
            if req.id in seen:
                yield error(where, f"requirement id '{req.id}' is used twice", "requirement")
            seen.add(req.id)
            yield from _statement_problems(where, req)


def _statement_problems(where: Position, req: Requirement) -> Iterator[Finding]:
    if req.check != "statement":
        return
    if not req.patterns:
        yield error(where, f"statement '{req.id}' has no patterns", "requirement")
        return
    try:
        _compiled(tuple(req.patterns))
    except re.error as exc:
        yield error(where, f"statement '{req.id}': invalid pattern: {exc}", "requirement")
        return
    for text in req.examples.flag:
        if states(req, text):
            yield error(
                where, f"statement '{req.id}' passes its flag example: {text!r}", "requirement"
            )
    for text in req.examples.pass_:
        if not states(req, text):
            yield error(
                where, f"statement '{req.id}' flags its pass example: {text!r}", "requirement"
            )


# -- wording helpers ---------------------------------------------------------------------------


def _and(items: Sequence[str]) -> str:
    words = [i.replace("_", " ") for i in items]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _or(items: Sequence[str]) -> str:
    return " or ".join(items) if items else "document"


CHECKERS: dict[str, Checker] = {
    "metric": check_metric,
    "since-fix": check_since_fix,
    "suppliers": check_suppliers,
    "evidence": check_evidence,
    "units": check_units,
    "ip-route": check_ip_route,
    "ip-type": check_ip_type,
    "fulfilment": check_fulfilment,
    "grading": check_grading,
    "incentives": check_incentives,
    "statement": check_statement,
}

#: The checks that read only the letter's words, not the case's facts.
WORDING_CHECKERS: dict[str, Checker] = {
    "metric": check_metric_stated,
    "ip-type": check_ip_type,
    "statement": check_statement,
}

#: The rules each check reports: what a requirement of that check can draw.
CHECK_RULES: dict[str, frozenset[str]] = {
    "metric": frozenset(
        {
            "metric-missing",
            "metric-counts-missing",
            "metric-rate",
            "metric-name",
            "metric-not-stated",
        }
    ),
    "since-fix": frozenset({"since-fix-missing"}),
    "suppliers": frozenset(
        {"suppliers-missing", "supplier-details-missing", "supplier-not-listed"}
    ),
    "evidence": frozenset({"evidence-required"}),
    "units": frozenset({"units-missing", "units-do-not-add-up", "units-not-invoiced"}),
    "ip-route": frozenset({"ip-route-missing", "ip-route-evidence", "ip-evidence-does-not-answer"}),
    "ip-type": frozenset({"ip-type-mismatch"}),
    "fulfilment": frozenset({"fulfilment-missing", "fulfilment-incomplete"}),
    "grading": frozenset({"grading-missing", "grading-does-not-add-up"}),
    "incentives": frozenset({"incentives-missing"}),
    "statement": frozenset({"statement-missing"}),
}
