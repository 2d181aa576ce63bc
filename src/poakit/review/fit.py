"""Whether the letter fits its case: an opening that follows the notice's scope, a closing that
talks only about what the case has, and root causes titled by their own cause.

These read the letter's words, not the snippet ids, so they hold for a part a case chose, for
one the assembly chose, and for a letter read back from the text that was sent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..errors import Finding, Level
from ..letter.assemble import ACCOUNT_ACTIONS, LISTING_ACTIONS
from ..letter.letter import Item
from ..model.case import Action
from .structure import Review

RULES: dict[str, str] = {
    "opening-scope": "an opening that does not follow the notice: account, listings or warning",
    "closing-fit": "a closing about ASINs or suppliers the case lacks, or a metric case's "
    "closing that does not name the metric",
    "root-cause-untitled": "a root cause written out with `text:` and no `title:`",
    "root-cause-title": "a root cause titled by the reason, or two with the same title",
}

_ASIN = re.compile(r"\bB0[0-9A-Z]{8}\b")


def opening_scope(review: Review) -> Iterator[Finding]:
    opening = review.letter.section("opening").items
    if not opening:
        return
    item = opening[0]
    text = item.text.plain()
    action = review.case.notice.action
    asins = [a for issue in review.case.notice.issues for a in issue.asins]
    problem = None
    if action in ACCOUNT_ACTIONS and not re.search(r"\baccount\b", text, re.IGNORECASE):
        problem = f"the notice acts on the account ({action}), and the opening does not say so"
    elif action in LISTING_ACTIONS:
        missing = [a for a in dict.fromkeys(asins) if a not in text]
        if re.search(r"\b(?:deactivat|suspend)\w*\b[^.]*\baccount\b", text, re.IGNORECASE):
            problem = (
                f"the notice acts on listings ({action}), and the opening speaks of the account "
                "being deactivated"
            )
        elif missing:
            problem = (
                f"the notice acts on listings ({action}), and the opening does not name "
                + ", ".join(missing)
            )
        elif not asins and not re.search(r"\b(?:listings?|offers?)\b", text, re.IGNORECASE):
            problem = f"the notice acts on listings ({action}), and the opening does not say so"
    elif action is Action.WARNING and not re.search(r"\bwarning\b", text, re.IGNORECASE):
        problem = "the notice is a warning, and the opening does not say so"
    if problem:
        yield Finding(
            item.position,
            Level.WARNING,
            problem,
            "opening-scope",
            "leave letter.opening out so the opening that fits the notice is chosen, or "
            "choose one that fits",
        )


def closing_fit(review: Review) -> Iterator[Finding]:
    closing = review.letter.section("closing").items
    if not closing:
        return
    item = closing[0]
    text = item.text.plain()
    case = review.case
    asins = [a for issue in case.notice.issues for a in issue.asins]
    invoices = [d for d in case.evidence if (d.kind or "").casefold() == "invoice"]
    problems = []
    if re.search(r"\bASINs?\b", text) and not asins and not _ASIN.search(review.text):
        problems.append("the closing talks about ASINs, and the letter names none")
    if re.search(r"\bsuppliers?\b", text, re.IGNORECASE) and not (case.suppliers or invoices):
        problems.append("the closing talks about suppliers, and the case has none")
    names = _metric_names(review)
    if names and not any(name.casefold() in text.casefold() for name in names):
        problems.append(
            f"a metric case closes on its metric, and the closing does not name "
            f"{' or '.join(sorted(set(names)))}"
        )
    for problem in problems:
        yield Finding(
            item.position,
            Level.WARNING,
            problem,
            "closing-fit",
            "leave letter.closing out so the closing that fits the case is chosen, or "
            "choose one that fits",
        )


def _metric_names(review: Review) -> list[str]:
    """The names of the metrics the case states, or those its reasons watch."""
    names = [m.name for m in review.case.metrics]
    marketplace = review.case.seller.marketplace
    for issue in review.case.notice.issues:
        reason = review.library.reasons.get(issue.reason)
        if reason is not None and reason.meta.metric is not None:
            names.append(review.library.metric_name(reason.id, marketplace))
    return names


def root_cause_titles(review: Review) -> Iterator[Finding]:
    causes = review.letter.section("root_causes").items
    reason_titles = {str(r.meta.title).casefold() for r in review.library.reasons.values()}
    counts = Counter(_title_key(item) for item in causes if item.label)
    for item in causes:
        if item.label is None:
            if item.snippet is None:
                yield Finding(
                    item.position,
                    Level.WARNING,
                    "root cause written out in full has no title",
                    "root-cause-untitled",
                    "add title: what went wrong, in a few words",
                )
            continue
        if _title_key(item) in reason_titles or _reason_label(item.label, reason_titles):
            yield Finding(
                item.position,
                Level.WARNING,
                f"root cause titled '{item.label}', the reason, not the cause",
                "root-cause-title",
                "title it by what went wrong, with title: in the case",
            )
        elif counts[_title_key(item)] > 1:
            yield Finding(
                item.position,
                Level.WARNING,
                f"two root causes have the title '{item.label}'",
                "root-cause-title",
                "give each root cause a title of its own, with title: in the case",
            )


def _title_key(item: Item) -> str:
    return (item.label or "").casefold().strip()


def _reason_label(label: str, reason_titles: set[str]) -> bool:
    """The old label: a reason's title followed by its ASINs in brackets."""
    bare = re.sub(r"\s*\((?:B0[0-9A-Z]{8}(?:,\s*)?)+\)\s*$", "", label).casefold().strip()
    return bare in reason_titles
