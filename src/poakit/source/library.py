"""Reading the snippet library: every snippet file, `library.yaml`, `tone-rules.yaml`, and
the notice reader's stores and languages (`source.notices`).

Each snippet is a Markdown file with YAML front matter; its id is its file name. Every
problem found while reading is collected in `library.findings` (collect, then fail once).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from ..errors import Finding, InputError, Position, did_you_mean, error
from ..model.library import FOLDERS, META_MODELS, Kind, Library, Settings, Snippet
from ..model.tonerules import ToneRule
from . import yaml
from .findings import validation_findings
from .layout import files_ending
from .notices import read_notice_data
from .tonerules import load_tone_rules


def read_library(root: Path, display_root: str = "snippets") -> Library:
    """Read every snippet under `root`, the settings and the tone rules; problems are
    collected in `library.findings`. (`project.load.load_library` adds what only rendering
    and the tone rules' own examples can find.)"""
    library = Library(root)
    library.settings = _load_settings(
        root / "library.yaml", f"{display_root}/library.yaml", library
    )
    for kind, folder in FOLDERS.items():
        directory = root / folder
        for path in _snippet_files(directory, f"{display_root}/{folder}", library):
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
    library.notices, problems = read_notice_data(root, display_root, library.reasons)
    library.findings.extend(problems)
    return library


def _snippet_files(directory: Path, display: str, library: Library) -> list[Path]:
    """The snippet files of one folder of the library, in name order; none if there is no
    such folder, and an error if it cannot be read (every snippet it holds would otherwise
    be reported unknown, and never why)."""
    try:
        return files_ending(directory, (".md",))
    except OSError as exc:
        library.findings.append(
            error(
                Position(display),
                f"cannot read the folder: {exc.strerror or exc}",
                "unreadable",
                "make it a folder of snippet files that you may read",
            )
        )
        return []


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
        document = yaml.load(yaml.read_text(path, display), display)
        return Settings.model_validate(document.data or {})
    except InputError as exc:
        library.findings.extend(exc.findings)
    except ValidationError as exc:
        library.findings += validation_findings(
            exc, document, Settings, "library-settings", display
        )
    return Settings()


def _load_tone_rules(path: Path, display: str, library: Library) -> tuple[ToneRule, ...]:
    if not path.exists():
        return ()
    try:
        return load_tone_rules(path, display)
    except InputError as exc:
        library.findings.extend(exc.findings)
        return ()


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
    text = yaml.read_text(path, display)
    front, body, body_line = split_front_matter(text, display)
    document = yaml.load(front, display, first_line=2)
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
        findings = validation_findings(
            exc, document, model, "snippet-front-matter", "the front matter"
        )
        raise InputError(findings) from None
    sid = path.name.removesuffix(".md")
    return Snippet(sid, kind, display, meta, body, body_line, document)


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
