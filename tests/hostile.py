"""A case with a hostile string in every string field of the case model.

`hostile_case` walks the pydantic `Case` model, not a list of fields: a string field added to
the model later gets a hostile value with no change here. Each value is a payload of HTML and
script (a custom element and attribute named after a marker, `</script>`, `-->`, quotes,
`{{ }}`), opened by a Markdown block opener, a Unicode separator or a bidirectional override,
and tagged with a marker unique to the field (`zqm017x`), so a trace in a built file names the
field it came from.

A field may refuse a hostile value with a finding (a reason must name a library file; an
ID must be covered by the letter): such fields get their base value back, and the refusal is
recorded with the finding that caused it, so a test can check it was a clean one.
"""

from __future__ import annotations

import datetime as dt
import enum
import html.parser
import json
import types
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml
from pydantic import BaseModel, ValidationError

from poakit.model.case import ASIN_PATTERN, ORDER_PATTERN, SLUG_PATTERN, Case
from poakit.model.library import Library
from poakit.project.load import check_case
from poakit.source import yaml as yamlsource
from poakit.source.yaml import normalize_breaks
from poakit.templating.escape import visible

MARK = "zqm"  # the prefix of every marker (`zqm017x`)
OPENERS = (
    '??? danger "Review: 0 errors {m}"',
    '!!! success "Review: 0 errors {m}"',
    "# {m}",
    "> {m}",
    "| {m} | x |",
    "```{m}",
    "{{: #{m} }}",
    "- {m}",
    "1. {m}",
    "[^{m}]: x",
    "~~~{m}",
    "=== {m}",
    "    {m}",
    '{m}\u2028\u2028!!! note "{m}"',
    "\u202e{m}\u202c",
    "{m}\u2029\x85\x0b\x0c- {m}",
)
# An element and attributes named after the marker: if any of it reached a page as markup,
# a parser would find a tag or an attribute carrying the marker.
MARKUP = (
    '<{m}-el {m}-at=1 onmouseover=alert(1)>" \' {m}-quoted="2" '
    "</script><script>alert(1)</script><!-- --> <img src=x onerror=alert(1)> "
    "&amp; &lt; {{{{ 7*7 }}}} [x](javascript:alert(1))"
)
# Values for constrained strings when an entry is made from nothing (see `_made`).
SAMPLES = {
    SLUG_PATTERN: "made-up-entry",
    ASIN_PATTERN: "B0C1234567",
    ORDER_PATTERN: "111-1234567-1234567",
}


def payload(marker: str, number: int) -> str:
    opener = OPENERS[number % len(OPENERS)].format(m=marker)
    return f"{opener} {MARKUP.format(m=marker)}"


def typed(value: str) -> str:
    """A value as every sink must show it: line breaks read as spaces, white space collapsed,
    control and bidirectional characters visible."""
    return " ".join(visible(normalize_breaks(value)).split())


@dataclass
class Hostile:
    """The hostile case: its data, each marker's payload and field, and what was refused."""

    data: dict[str, Any]
    payloads: dict[str, str] = field(default_factory=dict)  # marker -> payload
    fields: dict[str, str] = field(default_factory=dict)  # marker -> dotted field
    refused: dict[str, str] = field(default_factory=dict)  # dotted field -> finding

    def markers_in(self, text: str) -> list[str]:
        return [m for m in self.payloads if m in text]


# -- the walk -----------------------------------------------------------------------------------


class _Walk:
    def __init__(self) -> None:
        self.count = 0
        self.payloads: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.paths: dict[str, tuple[str | int, ...]] = {}  # marker -> location in the data
        self.covered: set[str] = set()  # dotted model fields given a hostile value

    def text(self, where: str, loc: tuple[str | int, ...]) -> str:
        marker = f"{MARK}{self.count:03d}x"
        self.count += 1
        value = payload(marker, self.count)
        self.payloads[marker], self.fields[marker], self.paths[marker] = value, where, loc
        self.covered.add(where)
        return value

    def model(
        self, model: type[BaseModel], data: dict[str, Any], where: str, loc: tuple[Any, ...]
    ) -> dict[str, Any]:
        filled = dict(data)
        for name, info in model.model_fields.items():
            dotted = f"{where}.{name}" if where else name
            current = filled.get(name)
            new = self.value(info.annotation, info.metadata, current, dotted, (*loc, name))
            if new is _KEEP:
                continue
            trial = {**filled, name: new}
            if _valid(model, trial):  # a validator may tie fields together (snippet or text)
                filled = trial
            else:
                self.forget(dotted, (*loc, name))
        return filled

    def value(
        self, annotation: Any, metadata: list[Any], current: Any, where: str, loc: tuple[Any, ...]
    ) -> Any:
        kind, inner = _shape(annotation, metadata)
        if kind == "text":
            return self.text(where, loc)
        if kind == "model":
            base = current if isinstance(current, dict) else _made(inner)
            return _KEEP if base is None else self.model(inner, base, where, loc)
        if kind == "list":
            item_annotation, item_metadata = inner
            items = current if isinstance(current, list) and current else [_NEW, _NEW]
            made = [
                self.value(
                    item_annotation, item_metadata, None if i is _NEW else i, where, (*loc, n)
                )
                for n, i in enumerate(items)
            ]
            if any(m is _KEEP for m in made):
                return _KEEP if current is None else current
            return made
        if kind == "mapping" and isinstance(current, dict):  # a snippet's vars
            return {
                key: self.var(value, f"{where}.{key}", (*loc, key))
                for key, value in current.items()
            }
        return _KEEP

    def var(self, value: Any, where: str, loc: tuple[Any, ...]) -> Any:
        if isinstance(value, str):
            return self.text(where, loc)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [self.text(where, (*loc, n)) for n in range(len(value))]
        return value

    def forget(self, where: str, loc: tuple[Any, ...]) -> None:
        for marker, path in list(self.paths.items()):
            if path[: len(loc)] == loc:
                del self.payloads[marker], self.fields[marker], self.paths[marker]


_KEEP, _NEW = object(), object()


def _valid(model: type[BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        # Only the model's own validators matter here: a nested entry still being filled
        # may lack what it needs.
        return not any(e["type"] == "value_error" and len(e["loc"]) == 0 for e in exc.errors())
    return True


def _shape(annotation: Any, metadata: list[Any]) -> tuple[str, Any]:
    """What kind of value a field holds: free text, a constrained string, a model, a list,
    a mapping, or something else (kept)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _shape(base, [*metadata, *extra])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _shape(options[0], metadata) if len(options) == 1 else ("other", None)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "list", (item, [])
    if origin is dict:
        return "mapping", None
    if annotation is str:
        pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
        return ("pattern", pattern) if pattern else ("text", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    return "other", None


def _made(model: type[BaseModel]) -> dict[str, Any] | None:
    """A minimal entry of `model` made from nothing, or None if a required field has a kind
    this walk cannot invent (the entry is then left out)."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        sample = _sample(info.annotation, info.metadata)
        if sample is None:
            return None
        data[name] = sample
    return data


def _sample(annotation: Any, metadata: list[Any]) -> Any:
    kind, inner = _shape(annotation, metadata)
    if kind == "text":
        return "x"
    if kind == "pattern":
        return SAMPLES.get(inner)
    if kind == "model":
        return _made(inner)
    if kind == "list":
        item = _sample(*inner)
        return None if item is None else [item]
    if annotation is dt.date:
        return dt.date(2026, 10, 4)
    if annotation in (int, float):
        return annotation(1)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    return None


# -- the case ---------------------------------------------------------------------------------


def hostile_case(base: dict[str, Any], library: Library, folder: Path, slug: str) -> Hostile:
    """The `base` case with every string field hostile, written to `folder/slug.yaml` and
    checked until no hostile value draws an error (those fields get their base value back).

    The base should silence every check it can: this case is about escaping, and a check that
    only warns about wording must not take a field out of the test."""
    walk = _Walk()
    data = walk.model(Case, base, "", ())
    data["visibility"] = "public"
    refused: dict[str, str] = {}
    path = folder / f"{slug}.yaml"
    for _ in range(50):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200))
        result = check_case(path, library, f"cases/{slug}.yaml", folder.parent)
        errors = [f for f in result.findings if f.level == "error"]
        if not errors:
            break
        document = yamlsource.load(path.read_text(encoding="utf-8"), f"cases/{slug}.yaml")
        restore: dict[tuple[Any, ...], None] = {}
        for finding in errors:
            loc = _loc_at(walk, document, finding.position.line)
            if loc is None:
                raise AssertionError(f"an error no hostile value explains: {finding}")
            for marker, path_ in list(walk.paths.items()):
                if path_[: len(loc)] == loc:
                    refused[walk.fields[marker]] = str(finding)
            restore[loc] = None
        # the last list entries first, so that removing one leaves the others' indexes right
        for loc in sorted(restore, key=lambda at: [str(p).zfill(9) for p in at], reverse=True):
            _restore(data, base, loc)
            walk.forget("", loc)
    else:  # pragma: no cover
        raise AssertionError("the hostile case never came clean")
    hostile = Hostile(data, walk.payloads, walk.fields, refused)
    hostile.covered = walk.covered  # type: ignore[attr-defined]
    return hostile


def _loc_at(walk: _Walk, document: yamlsource.Document, line: int) -> tuple[Any, ...] | None:
    """The location to restore for an error on `line`: the hostile value written there, or
    else the list entry (made by the walk) that holds the line."""
    for loc in walk.paths.values():
        if document.position(loc).line == line:
            return loc
    on_line = [loc for loc, (at, _) in document.values.items() if at == line and loc]
    for loc in sorted(on_line, key=len, reverse=True):
        entry = next((loc[: n + 1] for n in range(len(loc)) if isinstance(loc[n], int)), None)
        if entry is not None and any(p[: len(entry)] == entry for p in walk.paths.values()):
            return entry
    return None


def _restore(data: dict[str, Any], base: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Put back the base's value at `loc`; an entry the base lacks is removed."""
    target: Any = data
    source: Any = base
    for part in loc[:-1]:
        target = target[part]
        source = source[part] if source is not None and _has(source, part) else None
    last = loc[-1]
    if source is not None and _has(source, last):
        target[last] = source[last]
    elif isinstance(target, dict):
        target.pop(last, None)
    else:
        del target[last]


def _has(container: Any, key: Any) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and key < len(container)


def string_fields(model: type[BaseModel] = Case, where: str = "") -> Iterator[str]:
    """Every free-text field of the model, dotted (`seller.name`, `root_causes.text`)."""
    for name, info in model.model_fields.items():
        dotted = f"{where}.{name}" if where else name
        kind, inner = _shape(info.annotation, info.metadata)
        while kind == "list":
            kind, inner = _shape(*inner)
        if kind == "text":
            yield dotted
        elif kind == "model":
            yield from string_fields(inner, dotted)


# -- the scan of a built site for markup from the case ---------------------------------------


class Markup(html.parser.HTMLParser):
    """Every element, attribute and script of a piece of HTML, and its text (the tags list of
    Material's tag plugin left out: it strips tag names to harmless characters)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._skip = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = dict(attrs)
        if self._skip or "md-tags" in (dict(attrs).get("class") or ""):
            self._skip += tag not in VOID_ELEMENTS

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        elif not self._skip:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}


def no_markup_from_the_case(markup: Markup, where: str) -> None:
    for tag, attrs in markup.elements:
        assert MARK not in tag, (where, tag)
        for name, value in attrs:
            assert MARK not in name, (where, tag, name)
            assert not (name.startswith("on") and "alert" in (value or "")), (where, tag, name)
    for attrs, code in markup.scripts:
        if MARK in code:
            assert attrs.get("type") == "application/json", where
            assert "<" not in code, where
            json.loads(code)


def xml_elements(data: bytes, where: str) -> None:
    for element in ElementTree.fromstring(data).iter():
        assert MARK not in str(element.tag), where
        assert not any(MARK in str(name) for name in element.attrib), where


def json_strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


def markup_scan(files: Iterable[tuple[str, bytes]]) -> Counter[str]:
    """Every built file that holds a marker (and every XML and SVG file), checked: a marker may
    appear as text or an attribute value, never as an element, an attribute, a handler or a
    script. `files` are (name, data) pairs, gzip and DOCX contents included
    (`sites.site_files`); returns how many files of each kind were checked."""
    checked = Counter[str]()
    for name, data in files:
        if MARK.encode() not in data and not name.endswith((".xml", ".svg")):
            continue
        kind = name.rsplit(".", 1)[-1]
        checked[kind] += 1
        if kind == "html":
            no_markup_from_the_case(Markup(data.decode("utf-8")), name)
        elif kind == "json":
            for text in json_strings(json.loads(data)):
                if MARK in text:  # search indexes: themes show titles and texts as HTML
                    no_markup_from_the_case(Markup(text), name)
        elif kind in ("xml", "svg", "rels"):
            xml_elements(data, name)
        elif kind != "txt":  # plain text is checked as typed, by the tests that read it
            raise AssertionError(f"a case value reached {name}")
    return checked
