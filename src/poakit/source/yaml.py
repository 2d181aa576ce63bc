"""YAML documents that remember where every value came from.

PyYAML's composed node tree carries marks; the constructed Python data does not. A
`Document` keeps both: the data, and for every path into it (`("notice", "issues", 0, "id")`)
the line and column of the value and of its key, so any later error can point at the file.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import Finding, InputError, Position, error
from ..model.document import Document, Loc

try:  # libyaml is several times faster; fall back where it is not compiled in
    from yaml import CSafeLoader as _Safe
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Safe  # type: ignore[assignment]

#: Plain scalars whose tag is remembered (`_Loader.resolve`): keys and short values, which
#: recur from file to file ("id", "snippet", "2026-10-05", "true"), up to this many.
_REMEMBERED_TAGS, _SHORT = 4096, 40
_plain_tags: dict[str, str] = {}


class _Loader(_Safe):
    """The safe loader, remembering the tag of short plain scalars: YAML finds a plain
    scalar's tag by matching it against the patterns of its first character, some 350 times
    a case file, for keys and values that recur in every file."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if not self.yaml_path_resolvers:  # what PyYAML answers then, without its call
            if kind is yaml.MappingNode:
                return _MAP
            if kind is yaml.SequenceNode:
                return _SEQ
            if not implicit[0]:  # quoted text, or a block scalar
                return _STR
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > _SHORT:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        tag = _plain_tags.get(value)
        if tag is None:
            if len(_plain_tags) >= _REMEMBERED_TAGS:
                _plain_tags.clear()
            tag = _plain_tags[value] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def normalize_breaks(text: str) -> str:
    """Every line or paragraph separator as "\\n": U+2028, U+2029, NEL, vertical tab, form
    feed, CR. The one normalisation of text, done when a file is loaded, so the pages and
    every export agree on where a value breaks."""
    return _BREAKS.sub("\n", text) if _BREAKS.search(text) else text


#: Largest YAML file poakit reads; case and snippet files are a few kilobytes.
MAX_BYTES = 1_000_000
#: Most nodes a document may expand to, counting every alias use: stops "billion laughs".
MAX_NODES = 50_000
#: Deepest nesting of lists and mappings; a case needs a handful of levels, and walking, pydantic
#: and Jinja all recurse, so a deeper document is refused before any of them sees it.
MAX_DEPTH = 100

_CORE = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = (_CORE + name for name in ("str", "seq", "map"))
#: Scalars `_plain_tree` hands to PyYAML's constructor for their tag (plain values, never
#: generators)
_PLAIN = frozenset(_CORE + name for name in ("int", "float", "bool", "null", "timestamp"))
_VALUE = _CORE + "value"  # a bare "=": PyYAML resolves it to a type it cannot build
#: The keys `_plain_tree` builds: text and the plain scalars
_KEY_TAGS = _PLAIN | {_STR}
#: The only types a case or snippet file may hold; `!!python/...`, `!!binary`, `!!set` and
#: custom tags are refused by name rather than by PyYAML's "could not determine a constructor".
_TAGS = frozenset(
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a file (a BOM is dropped); a clear error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw[: exc.start].decode("utf-8-sig"), 1)
        bad = raw[exc.start : exc.start + 1].hex()
        # Windows editors save "Unicode" as UTF-16, which starts with one of these marks.
        utf16 = " but UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise InputError(
            [
                error(
                    Position(path, line, column),
                    f"the file is not UTF-8 text{utf16} (byte 0x{bad})",
                    "encoding",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def read_text(file: Any, path: str, limit: int = MAX_BYTES) -> str:
    """Read and decode a file, refusing one larger than `limit` bytes."""
    try:
        mode = os.stat(file).st_mode
        if not stat.S_ISREG(mode):  # opening a pipe or a device would block or never end
            kind = "a folder" if stat.S_ISDIR(mode) else "a special file (a pipe or a device)"
            raise InputError(
                [error(Position(path), f"expected a text file, found {kind}", "unreadable")]
            )
        with open(file, "rb") as handle:
            raw = _read_up_to(handle, limit + 1)
    except OSError as exc:
        raise InputError(
            [
                error(
                    Position(path),
                    f"cannot read the file: {exc.strerror or exc}",
                    "unreadable",
                    "check that the file exists and that you may read it",
                )
            ]
        ) from None
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


def _read_up_to(handle: Any, most: int) -> bytes:
    """At most `most` bytes of an open file, to its end. It asks for the file's size plus one
    rather than for `most` at once: a read of a megabyte allocates a megabyte (some 20 us a
    case file, for nothing). A file that grew since is read on, to its end or to `most`."""
    asked = min(os.fstat(handle.fileno()).st_size + 1, most)
    raw: bytes = handle.read(asked)
    if len(raw) == asked < most:  # it grew since it was looked at
        raw += handle.read(most - asked)
    return raw


def load(text: str, path: str, *, first_line: int = 1) -> Document:
    """Parse one YAML document; `first_line` offsets marks (front matter starts on line 2)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None)
        values: dict[Loc, tuple[int, int]] = {}
        keys: dict[Loc, tuple[int, int]] = {}
        ends: dict[Loc, tuple[int, int]] = {}
        marks = _Marks(values, keys, ends)
        # a value can hold a break to normalise only if the file does, or an escape does
        breaks = "\\" in text or _BREAKS.search(text) is not None
        data = _plain_tree(loader, node, marks, first_line, breaks)
        if data is _UNUSUAL:  # the checks one by one, each with its own clear finding
            for found in (values, keys, ends):
                found.clear()
            shape = _shape_problem(node, text, path, first_line)
            problems = [shape] if shape else list(_walk(node, (), marks, path, first_line))
            if problems:
                lines = _lines(text)
                raise InputError([_inside(f, lines, first_line) for f in problems])
            data = _construct(loader, node, path, first_line)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_finding(exc, text, path, first_line)]) from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_reader_finding(exc, text, path, first_line)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every YAMLError above has a mark
        raise InputError(
            [error(Position(path, first_line, 1), f"YAML error: {exc}", "yaml-syntax")]
        ) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops deep documents first
        raise InputError(
            [error(Position(path, first_line, 1), "the YAML is nested too deeply", "yaml-syntax")]
        ) from None
    finally:
        loader.dispose()
    last = first_line + _line_count(text) - 1  # a mark on an earlier line lies inside the text
    if any(mark[0] >= last for mark in values.values()):
        lines = _lines(text)
        values = {
            loc: mark if mark[0] < last else _clamp(*mark, lines, first_line)
            for loc, mark in values.items()
        }
    return Document(path, data, values, keys, ends)


@dataclass(slots=True)
class _Marks:
    """Where the walk records positions: values' starts, keys' starts, and ends (of scalars
    and flow collections only: a block collection ends where the next token starts, after
    any comments that follow it)."""

    values: dict[Loc, tuple[int, int]]
    keys: dict[Loc, tuple[int, int]]
    ends: dict[Loc, tuple[int, int]]


def line_starts(text: str) -> list[int]:
    """The offset in `text` of the first character of each line, as YAML numbers lines
    (line 1 is index 0): with the positions of a `Document`, where to insert text."""
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def _clamp(line: int, column: int, lines: list[str], first_line: int) -> tuple[int, int]:
    """A mark moved into the text: libyaml ends the stream (and an empty value at its end)
    on a line after the last one when the file lacks a final line break."""
    index = max(min(line - first_line, len(lines) - 1), 0)
    return index + first_line, max(min(column, len(lines[index]) + 1), 1)


def _inside(finding: Finding, lines: list[str], first_line: int) -> Finding:
    where = finding.position
    line, column = _clamp(where.line, where.column, lines, first_line)
    return dataclasses.replace(finding, position=Position(where.path, line, column))


#: What YAML counts as a line break (and so its marks, and editors): not only "\n".
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str) -> list[str]:
    """The lines of `text` as YAML numbers them (`str.splitlines` also splits on \\f, \\v...)."""
    return _BREAK.split(text)


def _line_count(text: str) -> int:
    """`len(_lines(text))`, without making the lines where only "\\n" can break them."""
    if text.isascii() and "\r" not in text:
        return text.count("\n") + 1
    return len(_lines(text))


def _line_column(before: str, first_line: int) -> tuple[int, int]:
    """Line and column of the character that follows `before`."""
    lines = _lines(before)
    return len(lines) - 1 + first_line, len(lines[-1]) + 1


def _construct(loader: Any, node: yaml.Node, path: str, first_line: int) -> Any:
    """The Python data of a checked node tree that `_plain_tree` left (a merge key, a tag
    that does not fit its node, a value it cannot build...), by PyYAML's constructor, with
    its rules and errors; a scalar Python cannot hold is a finding."""
    try:
        return loader.construct_document(node)
    except (ValueError, OverflowError) as exc:  # 2026-02-30, or an integer of 5,000 digits
        bad = _unconstructible(loader, node)
        if bad is None:  # pragma: no cover - construct_document failed on some scalar
            raise InputError(
                [error(Position(path, first_line, 1), f"invalid value: {exc}", "yaml-value")]
            ) from None
        scalar, problem = bad
        where = Position(path, scalar.start_mark.line + first_line, scalar.start_mark.column + 1)
        raise InputError([_value_finding(where, scalar, problem)]) from None


_UNUSUAL = object()  # what `_plain_tree` gives for a tree it leaves to the full checks


def _plain_tree(
    loader: Any, root: yaml.Node, marks: _Marks, first_line: int, breaks: bool = True
) -> Any:
    """The data and marks of a checked tree in one pass: what `_walk` records and `_construct`
    builds, where they and `_shape_problem` would find nothing wrong. Anything they would
    report or treat specially (a value containing itself, a tree too deep or expanding too
    far, a tag not allowed, a key that is not a plain scalar, a duplicate or merge key, a
    value PyYAML cannot build) gives `_UNUSUAL`, and the document goes through them instead.
    One pass instead of three is a third of reading a case file. `breaks`: False where no
    value can hold a line break other than "\\n" (then none is looked for)."""
    try:
        return _Builder(loader, marks, first_line, breaks).build(root, (), 1)
    except (_Unusual, ValueError, OverflowError):
        return _UNUSUAL


class _Builder:
    """`_plain_tree`'s walk. A class rather than a nested function that calls itself: such a
    function is a reference cycle (with the loader and the marks it holds, some 860 objects a
    case file) that only the garbage collector frees."""

    __slots__ = ("breaks", "count", "first_line", "loader", "marks", "on_path")

    def __init__(self, loader: Any, marks: _Marks, first_line: int, breaks: bool) -> None:
        self.loader, self.marks, self.first_line, self.breaks = loader, marks, first_line, breaks
        self.on_path: set[int] = set()  # PyYAML gives an alias the very node of its anchor
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        # every use of a node through an alias counts, as the shape check counts
        self.count += 1
        if depth >= MAX_DEPTH or self.count > MAX_NODES or id(node) in self.on_path:
            raise _Unusual
        marks, first_line, loader = self.marks, self.first_line, self.loader
        start = node.start_mark
        mark = (start.line + first_line, start.column + 1)
        marks.values.setdefault(loc, mark)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark
            marks.ends.setdefault(loc, (end.line + first_line, end.column + 1))
            if tag in (_STR, _VALUE):
                node.tag = _STR
                if self.breaks:
                    node.value = normalize_breaks(node.value)
                return node.value
            if tag not in _PLAIN:
                raise _Unusual
            return loader.yaml_constructors[tag](loader, node)
        if getattr(node, "flow_style", False):
            end = node.end_mark
            marks.ends.setdefault(loc, (end.line + first_line, end.column + 1))
        self.on_path.add(id(node))
        build = self.build
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            built: Any = [build(item, (*loc, n), depth + 1) for n, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode) and tag == _MAP:
            built = {}
            keys = marks.keys
            self.count += len(node.value)  # each key counts, as the shape check counts it
            for key_node, value_node in node.value:
                key_tag = key_node.tag
                if key_tag not in _KEY_TAGS or not isinstance(key_node, yaml.ScalarNode):
                    raise _Unusual
                key = key_node.value
                at = (*loc, key)
                if key == "<<" or at in keys:
                    raise _Unusual
                start = key_node.start_mark
                keys[at] = (start.line + first_line, start.column + 1)
                name = (
                    key if key_tag == _STR else loader.yaml_constructors[key_tag](loader, key_node)
                )
                built[name] = build(value_node, at, depth + 1)
        else:
            raise _Unusual
        self.on_path.discard(id(node))
        return built


class _Unusual(Exception):
    """A tree `_plain_tree` leaves to the checks one by one and to PyYAML's constructor."""


def _unconstructible(loader: Any, root: yaml.Node) -> tuple[yaml.ScalarNode, Exception] | None:
    """The first scalar whose value cannot be built (only looked for once building failed)."""
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode) and node.tag in (_CORE + "int", _CORE + "timestamp"):
            try:
                loader.yaml_constructors[node.tag](loader, node)
            except (ValueError, OverflowError) as exc:
                return node, exc
    return None


def _value_finding(where: Position, node: yaml.ScalarNode, problem: Exception) -> Finding:
    if node.tag == _CORE + "timestamp":
        return error(
            where,
            f"'{node.value}' is not a date of the calendar ({problem})",
            "yaml-value",
            "write a real date as YYYY-MM-DD, e.g. 2026-10-04",
        )
    return error(
        where,
        f"the number is too long ({len(node.value)} characters)",
        "yaml-value",
        "put quotes around it if it is an id, or shorten it",
    )


def _nodes(root: yaml.Node) -> Iterator[yaml.Node]:
    """Every distinct node once, without recursion (the tree is already checked)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(_children(node)))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


@dataclass(slots=True)
class _Frame:
    """A node being measured: its children, the next one to visit, the expansion so far."""

    node: yaml.Node
    depth: int
    children: list[yaml.Node]
    index: int = 0
    size: int = 1
    height: int = 0


def _shape_problem(root: yaml.Node, text: str, path: str, first_line: int) -> Finding | None:
    """A value containing itself, nested too deeply, or expanding too far through aliases.

    Checked without recursion and with each shared (aliased) node measured once, so a
    "billion laughs" document costs as much as its text, not as much as its expansion.
    """
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (size, height) of its expansion
    on_path = {id(root)}
    stack = [_Frame(root, 1, _children(root))]
    while stack:
        frame = stack[-1]
        if frame.index == len(frame.children):
            stack.pop()
            on_path.discard(id(frame.node))
            if frame.size > MAX_NODES:
                return _shape_finding(frame.node, path, first_line, "size", text)
            _add(stack, frame.size, frame.height + 1)
            measured[id(frame.node)] = (frame.size, frame.height + 1)
            continue
        child = frame.children[frame.index]
        frame.index += 1
        known = (1, 1) if isinstance(child, yaml.ScalarNode) else measured.get(id(child))
        if id(child) in on_path:
            return _shape_finding(child, path, first_line, "cycle", text)
        if frame.depth + (known[1] if known else 1) > MAX_DEPTH:
            return _shape_finding(child, path, first_line, "depth", text)
        if known:
            frame.size += known[0]
            frame.height = max(frame.height, known[1])
        else:
            on_path.add(id(child))
            stack.append(_Frame(child, frame.depth + 1, _children(child)))
    return None


def _add(stack: list[_Frame], size: int, height: int) -> None:
    """Count a measured child into its parent, the frame now on top of the stack."""
    if stack:
        stack[-1].size += size
        stack[-1].height = max(stack[-1].height, height)


_ANCHOR = re.compile(r"(?:!\S*\s+)?&([^\s,\[\]{}]+)")


def _shape_finding(node: yaml.Node, path: str, first_line: int, kind: str, text: str) -> Finding:
    mark = node.start_mark
    where = Position(path, mark.line + first_line, mark.column + 1)
    if kind == "cycle":
        lines = _lines(text)
        found = _ANCHOR.match(lines[mark.line][mark.column :]) if mark.line < len(lines) else None
        name = found.group(1) if found else "..."
        return error(
            where,
            f"the anchor '&{name}' is used inside its own value (by '*{name}'): "
            "the value would contain itself",
            "yaml-recursive",
            "write the inner value out instead of the alias",
        )
    if kind == "depth":
        return error(
            where,
            f"the YAML is nested more than {MAX_DEPTH} levels deep",
            "yaml-too-deep",
            "a case or snippet needs only a few levels; flatten this value",
        )
    return error(
        where,
        f"this value expands to more than {MAX_NODES} values (aliases used too often)",
        "yaml-too-large",
        "write the values out instead of repeating aliases",
    )


def _reader_finding(exc: yaml.reader.ReaderError, text: str, path: str, first_line: int) -> Finding:
    """A character YAML does not allow, at its line and column (PyYAML gives a byte offset)."""
    character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    # The reader stops at the first such character, so its first occurrence is the one.
    index = max(text.find(character), 0)
    return error(
        Position(path, *_line_column(text[:index], first_line)),
        f"found a control character (U+{ord(character):04X}), which YAML does not allow",
        "yaml-syntax",
        "delete it: it is invisible in most editors",
    )


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    lines = _lines(text)
    line, column = _clamp(
        (mark.line if mark else 0) + first_line, (mark.column if mark else 0) + 1, lines, first_line
    )
    where = Position(path, line, column)
    source_line = lines[line - first_line]
    if "\t" in source_line[:column]:
        return error(
            where,
            "invalid YAML: a tab character in the indentation",
            "yaml-syntax",
            "indent with spaces, not tabs",
        )
    if exc.problem == "but found another document":
        return error(
            where,
            "invalid YAML: expected one document, found a second one after a '---' line",
            "yaml-syntax",
            "remove the '---' line, or move what follows into a file of its own",
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
    node: yaml.Node, loc: Loc, marks: _Marks, path: str, first_line: int
) -> Iterator[Finding]:
    """Record marks under `loc`; find duplicate keys, keys that are not text, unknown tags.

    `_shape_problem` has bounded the tree already: this recursion is at most MAX_DEPTH deep
    and visits at most MAX_NODES nodes.
    """
    mark = (node.start_mark.line + first_line, node.start_mark.column + 1)
    marks.values.setdefault(loc, mark)
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        end = node.end_mark
        marks.ends.setdefault(loc, (end.line + first_line, end.column + 1))
    if node.tag == _CORE + "value":  # a bare "=": PyYAML resolves it to a type it cannot build
        node.tag = _STR
    if node.tag not in _TAGS:
        yield _tag_finding(Position(path, *mark), node.tag)
        return
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        node.value = normalize_breaks(node.value)  # the one normalisation (see `escape`)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key_mark = (key_node.start_mark.line + first_line, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                found = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                yield error(
                    Position(path, *key_mark),
                    f"expected a key of plain text, found {found}",
                    "yaml-syntax",
                    "a key is a word followed by ':'; remove the '?' or the brackets",
                )
                continue
            if key_node.tag not in _TAGS:
                yield _tag_finding(Position(path, *key_mark), key_node.tag)
                continue
            key = key_node.value
            if key in seen and key != "<<":
                yield error(
                    Position(path, *key_mark),
                    f"duplicate key '{key}' (first on line {seen[key]})",
                    "duplicate-key",
                    "keep one of them",
                )
                continue
            seen[key] = key_mark[0]
            marks.keys.setdefault((*loc, key), key_mark)
            yield from _walk(value_node, (*loc, key), marks, path, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*loc, index), marks, path, first_line)


def _tag_finding(where: Position, tag: str) -> Finding:
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return error(
        where,
        f"unsupported YAML tag '{shown}'",
        "yaml-tag",
        "remove the tag: these files hold only text, numbers, dates, lists and mappings",
    )
