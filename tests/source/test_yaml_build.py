"""`source.yaml` checks, marks and builds a document in one pass (`_plain_tree`) rather than
through its checks one by one and PyYAML's `construct_document`: the same document (data and
every position), or the same findings, for every YAML file of the project, for the corners of
YAML (merge keys, aliases, tags that do not fit their node, numbers and dates PyYAML reads its
own way, values it cannot build) and for random documents; and what it leaves to them."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poakit.errors import InputError
from poakit.source import yaml as yaml_module

CORNERS = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "base: &base {x: 1, y: [a, b]}\nuse: *base\nagain: *base\n",
    "base: &base {x: 1}\nmerged:\n  <<: *base\n  y: 2\n",
    "merged:\n  <<: [{x: 1}, {y: 2}]\n  z: 3\n",
    "ints: [0x1F, 0o17, 017, 1_000, +5, -0, 1:30, 0b101]\n",
    "floats: [1.5, .inf, -.Inf, 1e3, 6.8523015e+5, 1_000.5, 190:20:30.15]\n",
    "bools: [yes, No, on, OFF, true, False, y, n]\n",
    "nulls: [~, null, Null, '']\ndate: 2026-10-04\nstamp: 2026-10-04T10:00:00Z\n",
    "bad date: 2026-02-30\n",
    "huge: " + "9" * 5000 + "\n",
    "tagged: !!str 2026-10-04\nnumber: !!int '7'\nfloat: !!float '1'\n",
    "wrong: !!map text\n",
    "wrong: !!seq text\n",
    "wrong: !!str {a: b}\n",
    "wrong: !!int [1]\n",
    "equals: =\n",
    "? [a, b]\n: c\n",
    "1: one\n2.5: two\nnull: three\ntrue: four\n2026-10-04: date\n",
    "text: 'line one\n\n  line two'\nfolded: >\n  a\n  b\nliteral: |\n  a\n  b\n",
    "- &a [1, 2]\n- *a\n- *a\n",
    "",
    "# only a comment\n",
    "plain scalar document\n",
    "dup: 1\ndup: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "'<<': quoted\nx: 1\n",
    "=: key of an unknown type\n",
    "!!binary key: x\n",
    "!custom value\n",
    "text: !!python/name:os.system\n",
    "crlf: 'one\r\ntwo'\nsep: \"a\\u2028b\\x85c\"\nflow: {a: [1, 2], b: x}\nend: [1]",
    "deep: " + "[" * 98 + "]" * 98 + "\n",
    "deep: " + "[" * 99 + "]" * 99 + "\n",
    "deep: " + "[" * 100 + "]" * 100 + "\n",
    "wide: [" + "1, " * 60_000 + "1]\n",
    "? {a: b}\n: c\n",
    "1: a\n01: b\n",
]


def _files() -> list[str]:
    """Every YAML file of the project, and the front matter of every snippet."""
    folders = ("cases", "snippets", "notices", "tests/fixtures", "tests/golden")
    paths = [p for f in folders for p in sorted((REPO / f).rglob("*.y*ml"))]
    texts = [p.read_text("utf-8", errors="replace") for p in paths if p.is_file()]
    for snippet in sorted((REPO / "snippets").rglob("*.md")):
        head, sep, _ = snippet.read_text("utf-8").removeprefix("---\n").partition("\n---\n")
        texts += [head] if sep else []
    return texts


def _leave(*args: object) -> object:
    return yaml_module._UNUSUAL


def _document(text: str) -> object:
    """The whole document (its data, as Python and as text, and all its marks), or the
    findings."""
    try:
        document = yaml_module.load(text, "file.yaml")
    except InputError as exc:
        return ("findings", [str(f) for f in exc.findings])
    marks = (document.values, document.keys, document.ends)
    return ("document", document.data, repr(document.data), marks)


def _one_by_one(monkeypatch: pytest.MonkeyPatch, text: str) -> object:
    """The document as the checks one by one and PyYAML's constructor read it."""
    with monkeypatch.context() as patch:
        patch.setattr(yaml_module, "_plain_tree", _leave)
        return _document(text)


@pytest.mark.parametrize("text", CORNERS)
def test_the_corners_of_yaml_are_read_as_pyyaml_and_the_checks_one_by_one_read_them(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _document(text) == _one_by_one(monkeypatch, text)


def test_every_yaml_file_is_read_as_pyyaml_and_the_checks_one_by_one_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _files()
    assert len(texts) > 250
    for text in texts:
        assert _document(text) == _one_by_one(monkeypatch, text)
    cases = [p.read_text("utf-8") for p in sorted((REPO / "cases").glob("*.yaml"))]
    assert _taken(monkeypatch, cases) == len(cases) >= 9  # the pass serves every case file
    assert _taken(monkeypatch, texts) > 0.9 * len(texts)


def _taken(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> int:
    """How many of `texts` the one pass builds (rather than leaving them to the checks)."""
    built = 0
    real = yaml_module._plain_tree

    def counting(*args: Any) -> object:
        nonlocal built
        found = real(*args)
        built += found is not yaml_module._UNUSUAL
        return found

    with monkeypatch.context() as patch:
        patch.setattr(yaml_module, "_plain_tree", counting)
        for text in texts:
            _document(text)
    return built


def test_what_the_one_pass_leaves_to_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document the checks would report on or build their own way goes to them."""
    unusual = [
        "dup: 1\ndup: 2\n",
        "'<<': quoted\n",
        "=: x\n",
        "x: !!binary aGk=\n",
        "? [a]\n: b\n",
        "wrong: !!map text\n",
        "bad date: 2026-02-30\n",
        "deep: " + "[" * 100 + "]" * 100 + "\n",
        "wide: [" + "1, " * 60_000 + "1]\n",
        "a: &x [*x]\n",  # a value containing itself
        "a: &x {b: [*x]}\n",
        "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"  # "billion laughs": 10^5 values from 6 lines
        + "".join(f"{c}: &{c} [{', '.join(['*' + chr(ord(c) - 1)] * 10)}]\n" for c in "bcde"),
    ]
    assert _taken(monkeypatch, unusual) == 0
    plain = [
        "a: 1\nb: [x, {c: 2026-10-04}]\n",
        "plain\n",
        "a: &x 1\nb: Home & Garden\n",
        "a: &x [1, {b: c}]\nd: *x\ne: [*x, *x]\n",  # aliases: each use built and marked
        "? &k a\n: *k\n",
    ]
    assert _taken(monkeypatch, plain) == len(plain)


_SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(
        ["=", "<<", "~", "yes", "0x1F", "1:30", "2026-02-30", ".inf", "a: b", "\u2028"]
    ),
)


def _shared(data: Any) -> Any:
    """`data` with its first list or mapping used once more, so that PyYAML writes an anchor
    and an alias (it does for any object met twice)."""
    if not isinstance(data, (list, dict)):
        return data
    parts = data.values() if isinstance(data, dict) else data
    inner = [part for part in parts if isinstance(part, (list, dict))]
    return [data, inner[0]] if inner else data


_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 99)), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=_DATA.map(_shared),
    flow=st.sampled_from([None, True, False]),
    width=st.sampled_from([8, 40, 80]),
    plain=st.booleans(),
)
def test_any_document_is_read_in_one_pass_as_the_checks_read_it(
    data: object, flow: bool | None, width: int, plain: bool
) -> None:
    """Random data written as YAML in block, flow and mixed styles; with `plain`, every
    quote dropped, so that text is read back as whatever it looks like (a number, a date,
    a duplicate key, a merge key, nonsense)."""
    text = yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=True)
    if plain:
        text = text.replace("'", "").replace('"', "")
    with pytest.MonkeyPatch.context() as patch:
        assert _document(text) == _one_by_one(patch, text)


@pytest.mark.parametrize(
    "text",
    [
        'a: "one\\Ltwo\\Pthree\\Nfour\\rfive\\vsix\\fseven"\n',  # breaks by escape only
        'a: "one\\u2028two\\x0bthree"\n',
        "a: 'one\u2028two'\n",  # breaks typed as they are
        "a: |\r\n  one\r\n  two\r\n",
        "a: one two\nb: [x, 'y', \"z\"]\n",  # none at all
    ],
)
def test_line_breaks_are_normalised_whether_typed_or_escaped(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one pass looks for breaks to normalise only in a file that holds one, or a
    backslash (an escape in double quotes makes one): read as the checks one by one read it."""
    document = _document(text)
    assert document == _one_by_one(monkeypatch, text)
    assert document[0] == "document"
    for value in document[1].values():  # type: ignore[index]
        for char in "\r\x0b\x0c\x85\u2028\u2029":
            assert char not in str(value)


@settings(max_examples=500, deadline=None)
@given(
    kind=st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode]),
    value=st.one_of(st.sampled_from(["", "~", "yes", "1.5", "2026-10-04", "<<", "="]), st.text()),
    implicit=st.tuples(st.booleans(), st.booleans()),
)
def test_a_tag_is_resolved_as_pyyaml_resolves_it(kind: Any, value: str, implicit: Any) -> None:
    """`_Loader.resolve` answers collections and quoted text itself: as PyYAML would."""
    loader = yaml_module._Loader("")
    try:
        given = implicit if kind is yaml.ScalarNode else implicit[0]
        expected = yaml.resolver.BaseResolver.resolve(loader, kind, value, given)
        assert loader.resolve(kind, value, given) == expected
    finally:
        loader.dispose()


def test_a_remembered_tag_reads_as_the_first_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short plain scalars' tags are remembered from file to file (`_Loader.resolve`): read
    again, and after the memory is full and starts over, every value is what PyYAML reads."""
    monkeypatch.setattr(yaml_module, "_REMEMBERED_TAGS", 8)
    monkeypatch.setattr(yaml_module, "_plain_tags", {})
    text = CORNERS[6] + CORNERS[7] + CORNERS[4]
    for _ in range(3):
        assert yaml_module.load(text, "x.yaml").data == yaml.safe_load(text)
        assert len(yaml_module._plain_tags) <= 8
    assert yaml_module._plain_tags  # it did remember
    quoted = "bools: ['yes', \"No\"]\ndate: '2026-10-04'\n"  # quoted: text, whatever is remembered
    assert yaml_module.load(quoted, "x.yaml").data == {"bools": ["yes", "No"], "date": "2026-10-04"}
    long = "value: " + "1" * 60 + "\n"  # too long to remember, read all the same
    assert yaml_module.load(long, "x.yaml").data == {"value": int("1" * 60)}


@given(st.text(alphabet="a\n\r\x85\u2028\u2029\x0b\x0c é", max_size=30))
def test_lines_are_counted_as_yaml_numbers_them(text: str) -> None:
    assert yaml_module._line_count(text) == len(yaml_module._lines(text))


def test_reading_a_document_leaves_no_garbage_for_the_collector() -> None:
    """A document read in one pass frees everything the pass made as soon as it is done:
    none of it waits in a reference cycle for the collector (a recursive nested function
    was one, with the loader and the marks it held)."""
    text = (REPO / "cases" / "peak-outfitters-late-shipment.yaml").read_text(encoding="utf-8")
    yaml_module.load(text, "warm-up.yaml")
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        document = yaml_module.load(text, "peak-outfitters.yaml")
        assert gc.collect() == 0
        assert document.data["seller"]
    finally:
        if enabled:
            gc.enable()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(0, 300), grown=st.integers(0, 300), limit=st.integers(0, 400))
def test_a_file_is_read_to_its_end_or_one_byte_past_the_limit(
    tmp_path_factory: pytest.TempPathFactory, size: int, grown: int, limit: int
) -> None:
    """`read_text` asks for the file's size plus one: what it reads is the whole file, or
    `limit` + 1 bytes of it (then refused), also when the file grew after its size was
    looked at."""
    folder = tmp_path_factory.mktemp("read")
    path = folder / "case.yaml"
    path.write_bytes(b"a" * size)

    class Growing:
        """A handle on `path` whose file grows by `grown` bytes between its size and its read."""

        def __init__(self) -> None:
            self.handle = open(path, "rb")  # noqa: SIM115 - closed below
            self.grew = False

        def fileno(self) -> int:
            return self.handle.fileno()

        def read(self, count: int) -> bytes:
            if not self.grew:
                self.grew = True
                with open(path, "ab") as more:
                    more.write(b"b" * grown)
            return self.handle.read(count)

    handle = Growing()
    try:
        read = yaml_module._read_up_to(handle, limit + 1)
    finally:
        handle.handle.close()
    whole = b"a" * size + b"b" * grown
    assert read == whole[: limit + 1]
