"""Reading a case file: YAML with positions, validated into a `CaseFile`."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import Finding, InputError, Position, error
from ..model.case import RESERVED_SLUGS, Case, CaseFile, is_slug, slug_suggestion
from ..model.document import Document
from . import yaml
from .findings import describe, validation_findings
from .layout import slug_of


def load_case(path: Path, display: str, ahead: tuple[str, Document] | None = None) -> CaseFile:
    """Read and validate a case file; raise `InputError` listing every problem in it.
    `ahead`: a text and its YAML, parsed before (`read_ahead`), used if the file still holds
    that text, as shown by `display`."""
    slug = slug_of(path)
    problems: list[Finding] = []
    if not is_slug(slug):
        suggestion = slug_suggestion(slug)
        problems.append(
            error(
                Position(display),
                f"the file name '{path.name}' is not a valid case slug",
                "case-slug",
                f"rename it to lower-case letters, digits and hyphens, e.g. {suggestion}.yaml",
            )
        )
    if slug in RESERVED_SLUGS:
        problems.append(
            error(
                Position(display),
                f"the slug '{slug}' is taken by a page of the site",
                "case-slug",
                f"rename the file, e.g. {slug}-case.yaml",
            )
        )
    text = yaml.read_text(path, display)
    parsed = None
    if ahead is not None and ahead[0] == text and ahead[1].path == display:
        parsed = ahead[1]
    return case_from_text(text, path, display, problems, parsed)


def read_ahead(path: Path, display: str) -> tuple[str, Document] | None:
    """The text and YAML of a case file, read before it is checked (while the library loads):
    for `load_case`, which uses them if the file still holds that text. None where reading
    or parsing it fails (its check reports why)."""
    try:
        text = yaml.read_text(path, display)
        return text, yaml.load(text, display)
    except InputError:
        return None


def case_from_text(
    text: str,
    path: Path,
    display: str,
    problems: list[Finding] | None = None,
    parsed: Document | None = None,
) -> CaseFile:
    """A case file's text (as read, or as about to be written) validated into a `CaseFile`;
    raise `InputError` listing every problem, `problems` found before it first. `parsed`: the
    YAML of `text`, if it was parsed already."""
    slug = slug_of(path)
    problems = list(problems or [])
    document = parsed if parsed is not None else yaml.load(text, display)
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else describe(document.data)
        raise InputError(
            [
                *problems,
                error(
                    document.position(),
                    f"expected a mapping with 'seller' and 'notice', found {found}",
                    "case-schema",
                    "start from `poa new SLUG`, or copy an example from cases/",
                ),
            ]
        )
    try:
        case = Case.model_validate(document.data)
    except ValidationError as exc:
        problems += validation_findings(exc, document, Case, "case-schema", "the case")
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return CaseFile(slug, path, document, case)
