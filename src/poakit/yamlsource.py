"""YAML documents that remember where every value came from.

PyYAML's composed node tree carries marks; the constructed Python data does not. A
`Document` keeps both: the data, and for every path into it (`("notice", "issues", 0, "id")`)
the line and column of the value and of its key, so any later error can point at the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Finding, InputError, Position, error

try:  # libyaml is several times faster; fall back where it is not compiled in
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

#: Largest YAML file poakit reads; case and snippet files are a few kilobytes.
MAX_BYTES = 1_000_000
#: Most nodes a document may expand to, counting every alias use: stops "billion laughs".
MAX_NODES = 50_000


@dataclass(frozen=True)
class Document:
    """Parsed YAML plus the position of every value (`values`) and mapping key (`keys`)."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc = (), *, key: bool = False) -> Position:
        """Where `loc` is, or its nearest ancestor that exists in the file."""
        marks = self.keys if key else self.values
        for depth in range(len(loc), -1, -1):
            prefix = tuple(loc[:depth])
            if prefix in marks:
                return Position(self.path, *marks[prefix])
            if key and prefix in self.values:
                return Position(self.path, *self.values[prefix])
        return Position(self.path, 1, 1)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a file (a BOM is dropped); a clear error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            [
                error(
                    Position(path, line, column),
                    f"the file is not UTF-8 text (byte 0x{bad})",
                    "encoding",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def read_text(file: Any, path: str, limit: int = MAX_BYTES) -> str:
    """Read and decode a file, refusing one larger than `limit` bytes."""
    with open(file, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise InputError(
            [
                error(
                    Position(path),
                    f"the file is larger than {limit // 1000} kB",
                    "too-large",
                    "a case or snippet file is a few kilobytes; split or shorten it",
                )
            ]
        )
    return decode(raw, path)


def load(text: str, path: str, *, first_line: int = 1) -> Document:
    """Parse one YAML document; `first_line` offsets marks (front matter starts on line 2)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None)
        values: dict[Loc, tuple[int, int]] = {}
        keys: dict[Loc, tuple[int, int]] = {}
        problems = list(_walk(node, (), values, keys, path, first_line, [0]))
        if problems:
            raise InputError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_finding(exc, text, path, first_line)]) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise InputError(
            [error(Position(path, first_line, 1), f"YAML error: {exc}", "yaml-syntax")]
        ) from None
    except RecursionError:
        raise InputError(
            [error(Position(path, first_line, 1), "the YAML is nested too deeply", "yaml-syntax")]
        ) from None
    finally:
        loader.dispose()
    return Document(path, data, values, keys)


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    column = mark.column if mark else 0
    where = Position(path, line + first_line, column + 1)
    source_line = (text.splitlines() or [""])[min(line, max(len(text.splitlines()) - 1, 0))]
    if "\t" in source_line[: column + 1]:
        return error(
            where,
            "invalid YAML: a tab character in the indentation",
            "yaml-syntax",
            "indent with spaces, not tabs",
        )
    problem = exc.problem or "invalid YAML"
    context = f" {exc.context}" if exc.context else ""
    if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        start = exc.context_mark
        context += f" started on line {start.line + first_line}, column {start.column + 1}"
    fix = None
    if "mapping values are not allowed" in problem:
        fix = "put quotes around a value that contains ': '"
    elif "expected ',' or ']'" in problem:
        fix = "close the list with ]"
    return error(where, f"invalid YAML: {problem}{context}", "yaml-syntax", fix)


def _walk(
    node: yaml.Node,
    loc: Loc,
    values: dict[Loc, tuple[int, int]],
    keys: dict[Loc, tuple[int, int]],
    path: str,
    first_line: int,
    count: list[int],
) -> Iterator[Finding]:
    """Record marks under `loc`; find duplicate keys; stop documents that expand too far."""
    count[0] += 1
    if count[0] > MAX_NODES:
        if count[0] == MAX_NODES + 1:
            yield error(
                Position(path, node.start_mark.line + first_line, node.start_mark.column + 1),
                f"the document expands to more than {MAX_NODES} values (aliases used too often)",
                "yaml-too-large",
                "write the values out instead of repeating aliases",
            )
        return
    values.setdefault(loc, (node.start_mark.line + first_line, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            key_mark = (key_node.start_mark.line + first_line, key_node.start_mark.column + 1)
            if key in seen and key != "<<":
                yield error(
                    Position(path, *key_mark),
                    f"duplicate key '{key}' (first on line {seen[key]})",
                    "duplicate-key",
                    "keep one of them",
                )
                continue
            seen[key] = key_mark[0]
            keys.setdefault((*loc, key), key_mark)
            yield from _walk(value_node, (*loc, key), values, keys, path, first_line, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*loc, index), values, keys, path, first_line, count)
