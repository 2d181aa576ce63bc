"""Reading the notice reader's data: `snippets/stores.yaml` and `snippets/notices/*.yaml`.

Both files are optional; a library without them reads notices with its reasons' signals only.
Every problem is a finding at the line and column of the value it is about: the shape
(pydantic, through the one translator), and what a schema cannot say: a reason, metric, action
or route that does not exist, a template with a wrong placeholder, a month list that is not
twelve long, a detection word two languages share, a host two stores claim.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Finding, InputError, did_you_mean, error
from ..model.case import Action, Route
from ..model.document import Document, Loc
from ..model.library import Snippet
from ..model.notices import NO_PLAN, TEMPLATES, Language, NoticeData, Store, StoresFile
from . import yaml
from .findings import validation_findings

STORES_FILE = "stores.yaml"
LANGUAGES_DIR = "notices"
RULE = "notice-data"

_DOMAIN = re.compile(r"amazon(?:\.[a-z]{2,3}){1,2}")
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_ROUTES = (*(route.value for route in Route), NO_PLAN)


def read_notice_data(
    root: Path, display_root: str, reasons: Mapping[str, Snippet]
) -> tuple[NoticeData, list[Finding]]:
    """The stores and languages under `root` (the snippets folder), and every problem found;
    `reasons` are the library's, which the files' reason and metric ids must name."""
    findings: list[Finding] = []
    stores = _read_stores(root / STORES_FILE, f"{display_root}/{STORES_FILE}", reasons, findings)
    languages: dict[str, Language] = {}
    documents: dict[str, Document] = {}
    folder = root / LANGUAGES_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        display = f"{display_root}/{LANGUAGES_DIR}/{path.name}"
        loaded = _read_language(path, display, reasons, findings)
        if loaded is not None:
            languages[loaded[0].language], documents[loaded[0].language] = loaded
    findings.extend(_shared_detection_words(languages, documents))
    return NoticeData(stores, languages), findings


# --- stores -----------------------------------------------------------------------------------


def _read_stores(
    path: Path, display: str, reasons: Mapping[str, Snippet], findings: list[Finding]
) -> dict[str, Store]:
    if not path.exists():
        return {}
    parsed = _validated(path, display, StoresFile, "the store file", findings)
    if parsed is None:
        return {}
    model, document = parsed
    assert isinstance(model, StoresFile)
    before = len(findings)
    hosts: dict[str, str] = {}
    for domain, store in model.stores.items():
        loc: Loc = ("stores", domain)
        if not _DOMAIN.fullmatch(domain):
            findings.append(
                _at(
                    document,
                    loc,
                    f"'{domain}' is not a store domain",
                    "e.g. amazon.co.uk",
                    key=True,
                )
            )
        for index, host in enumerate(store.hosts):
            findings.extend(_host_problems(document, (*loc, "hosts", index), host, domain, hosts))
        for key in ("metrics", "local_names"):
            findings.extend(_metric_keys(document, (*loc, key), getattr(store, key), reasons))
    return model.stores if len(findings) == before else {}


def _host_problems(
    document: Document, loc: Loc, host: str, domain: str, seen: dict[str, str]
) -> Iterator[Finding]:
    if not _HOST.fullmatch(host):
        yield _at(document, loc, f"'{host}' is not a host name", "e.g. sellercentral.amazon.de")
    elif host in seen:
        yield _at(
            document,
            loc,
            f"host '{host}' is listed for {seen[host]} and {domain}",
            "a host shared by several stores names none: leave it out",
        )
    seen.setdefault(host, domain)


def _metric_keys(
    document: Document, loc: Loc, metrics: Mapping[str, Any], reasons: Mapping[str, Snippet]
) -> Iterator[Finding]:
    """Every key of `metrics` must be a reason that has a metric."""
    with_metric = [rid for rid, reason in reasons.items() if reason.meta.metric is not None]
    for key in metrics:
        if key in with_metric:
            continue
        if key in reasons:
            message = f"reason '{key}' has no metric"
            fix = "name one of: " + ", ".join(with_metric) if with_metric else None
        else:
            message = f"unknown metric '{key}'"
            fix = did_you_mean(key, with_metric) or "metrics are the ids of reasons with a metric"
        yield _at(document, (*loc, key), message, fix, key=True)


# --- languages --------------------------------------------------------------------------------


def _read_language(
    path: Path, display: str, reasons: Mapping[str, Snippet], findings: list[Finding]
) -> tuple[Language, Document] | None:
    parsed = _validated(path, display, Language, "the language file", findings)
    if parsed is None:
        return None
    language, document = parsed
    assert isinstance(language, Language)
    problems = list(_language_problems(language, document, path.stem, reasons))
    findings.extend(problems)
    return None if problems else (language, document)


def _language_problems(
    language: Language, document: Document, stem: str, reasons: Mapping[str, Snippet]
) -> Iterator[Finding]:
    if language.language != stem:
        yield _at(
            document,
            ("language",),
            f"the language code is '{language.language}' but the file is {stem}.yaml",
            f"name the file {language.language}.yaml, or set language: {stem}",
        )
    if language.months and len(language.months) != 12:
        yield _at(
            document,
            ("months",),
            f"expected twelve months, January first, found {len(language.months)}",
        )
    for key in ("signals", "strong", "types"):
        yield from _reason_keys(document, (key,), getattr(language, key), reasons)
    yield from _metric_keys(document, ("metrics",), language.metrics, reasons)
    yield from _known_keys(document, ("actions",), language.actions, [a.value for a in Action])
    yield from _known_keys(document, ("routes",), language.routes, _ROUTES)
    yield from _template_problems(language, document)
    yield from _phrase_problems(language, document)


def _reason_keys(
    document: Document, loc: Loc, keyed: Mapping[str, Any], reasons: Mapping[str, Snippet]
) -> Iterator[Finding]:
    for key in keyed:
        if key not in reasons:
            fix = did_you_mean(key, reasons) or "see the Reasons catalogue"
            yield error(
                document.position((*loc, key), key=True),
                f"unknown reason '{key}' in '{loc[-1]}'",
                "unknown-reason",
                fix,
            )


def _known_keys(
    document: Document, loc: Loc, keyed: Mapping[str, Any], known: Iterable[str]
) -> Iterator[Finding]:
    choices = list(known)
    for key in keyed:
        if key not in choices:
            fix = did_you_mean(key, choices) or "one of: " + ", ".join(choices)
            noun = str(loc[-1]).removesuffix("s")
            yield _at(document, (*loc, key), f"unknown {noun} '{key}'", fix, key=True)


def _template_problems(language: Language, document: Document) -> Iterator[Finding]:
    for where, (allowed, required) in TEMPLATES.items():
        owner: Any = language
        for part in where.split("."):
            owner = getattr(owner, part)
        for index, template in enumerate(owner):
            loc: Loc = (*where.split("."), index)
            names = _placeholders(template)
            if names is None:
                yield _at(
                    document, loc, f"unbalanced braces in '{template}'", rule="notice-template"
                )
                continue
            unknown = sorted(names - allowed)
            if unknown:
                yield _at(
                    document,
                    loc,
                    f"unknown placeholder {{{unknown[0]}}} in '{template}'",
                    "use " + ", ".join(f"{{{name}}}" for name in sorted(allowed)),
                    rule="notice-template",
                )
            elif not any(need <= names for need in required):
                needed = " or ".join(
                    " and ".join(f"{{{name}}}" for name in sorted(need)) for need in required
                )
                yield _at(
                    document,
                    loc,
                    f"'{template}' needs {needed}",
                    rule="notice-template",
                )
            elif "month" in names and not language.months:
                yield _at(
                    document,
                    loc,
                    f"'{template}' uses {{month}} but the file lists no months",
                    "add months:, or write the month as a number with {m}",
                    rule="notice-template",
                )


def _placeholders(template: str) -> frozenset[str] | None:
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
    except ValueError:
        return None


def _phrase_problems(language: Language, document: Document) -> Iterator[Finding]:
    """A phrase's "..." stands between words: not at its start or end, not twice in a row."""
    for loc, phrase in _phrases(language.model_dump(), ()):
        parts = [part.strip() for part in phrase.split("...")]
        if len(parts) > 1 and not all(parts):
            yield _at(
                document,
                loc,
                f"'...' must stand between words, found '{phrase}'",
                "write it like 'removed ... listings'",
            )


def _phrases(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("name", "language", "sources", "decimal", "thousands", "numbers"):
                yield from _phrases(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _phrases(item, (*loc, index))
    elif isinstance(value, str):
        yield loc, value


def _shared_detection_words(
    languages: Mapping[str, Language], documents: Mapping[str, Document]
) -> Iterator[Finding]:
    """A detection word in two languages would count for both: neither could tell them apart."""
    first: dict[str, str] = {}
    for code, language in languages.items():
        for index, word in enumerate(language.detect):
            folded = word.casefold()
            if folded in first and first[folded] != code:
                yield _at(
                    documents[code],
                    ("detect", index),
                    f"detection word '{word}' is also in {first[folded]}.yaml",
                    "keep each detection word in one language file",
                )
            first.setdefault(folded, code)


# --- shared -------------------------------------------------------------------------------------


def _validated(
    path: Path, display: str, model: type[BaseModel], whole: str, findings: list[Finding]
) -> tuple[BaseModel, Document] | None:
    try:
        document = yaml.load(yaml.read_text(path, display), display)
    except InputError as exc:
        findings.extend(exc.findings)
        return None
    try:
        return model.model_validate(document.data or {}), document
    except ValidationError as exc:
        findings.extend(validation_findings(exc, document, model, RULE, whole))
        return None


def _at(
    document: Document,
    loc: Loc,
    message: str,
    fix: str | None = None,
    *,
    key: bool = False,
    rule: str = RULE,
) -> Finding:
    return error(document.position(loc, key=key), message, rule, fix)
