"""Property tests: whatever a case file holds, poakit answers with a case or with findings.

For any document (nested mappings, lists and scalars dumped as YAML; case-shaped documents
with any subtree replaced; raw text; raw bytes), checking the file either gives a letter or
gives findings, each with a position inside the file, and never raises. Examples are drawn
deterministically (`derandomize`), so the suite gives the same result on every run.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poakit.errors import InputError
from poakit.project.load import check_case, load_library
from poakit.source import yaml as yamlsource

LIBRARY = load_library(FIXTURES / "mini" / "snippets")
VALID = yaml.safe_load((FIXTURES / "mini" / "cases" / "acme.yaml").read_text(encoding="utf-8"))
PROPERTIES = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
# YAML's line breaks (and so its marks' line numbers): \r\n, \r, \n, NEL, LS and PS.
BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

words = st.sampled_from(
    [
        "seller", "notice", "issues", "id", "reason", "asins", "root_causes", "text",
        "snippet", "vars", "visibility", "public", "inauthentic", "counterfeit-claims",
        "B0C1234567", "111-1234567-1234567", "2026-10-02", "account-deactivated", "<<", "",
    ]
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.text(max_size=30),
    words,
)
keys = st.one_of(words, st.text(max_size=12), st.integers(-5, 5), st.booleans(), st.none())
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)
yamlish = st.text(
    alphabet=st.sampled_from(list("abc019:-[]{}&*!|>'\"#%@`,? \t\n\r\x00\x07\ufeff\u2028é")),
    max_size=200,
)


def _mutations(value: Any) -> st.SearchStrategy[Any]:
    """The valid case with one subtree (at any depth) replaced by an arbitrary document."""
    if isinstance(value, dict) and value:
        return st.sampled_from(sorted(value)).flatmap(
            lambda key: st.one_of(documents, _mutations(value[key])).map(
                lambda new: {**value, key: new}
            )
        )
    if isinstance(value, list) and value:
        return st.integers(0, len(value) - 1).flatmap(
            lambda i: st.one_of(documents, _mutations(value[i])).map(
                lambda new: [*value[:i], new, *value[i + 1 :]]
            )
        )
    return documents


def _check(raw: bytes) -> None:
    """Check `raw` as a case file: a letter, or findings each inside the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases" / "fuzz.yaml"
        path.parent.mkdir()
        path.write_bytes(raw)
        result = check_case(path, LIBRARY, "cases/fuzz.yaml", Path(folder))
    if result.letter is None:
        assert result.errors, "no letter, so at least one error says why"
    text = raw.decode("utf-8-sig", errors="replace")
    lines = BREAKS.split(text)
    for finding in result.findings:
        where = finding.position
        assert where.path == "cases/fuzz.yaml"
        assert 1 <= where.line <= len(lines), (str(finding), len(lines))
        assert 1 <= where.column <= len(lines[where.line - 1]) + 1, str(finding)
        assert "\n" not in str(finding)


def _dump(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


@PROPERTIES
@given(documents)
def test_any_yaml_document_gives_a_case_or_positioned_findings(document: Any) -> None:
    _check(_dump(document))


@PROPERTIES
@given(_mutations(VALID))
def test_any_change_to_a_valid_case_gives_a_case_or_positioned_findings(document: Any) -> None:
    _check(_dump(document))


@PROPERTIES
@given(st.one_of(yamlish, st.text(max_size=200)))
def test_any_text_gives_a_case_or_positioned_findings(text: str) -> None:
    _check(text.encode("utf-8", errors="surrogatepass"))


@PROPERTIES
@given(st.binary(max_size=200))
def test_any_bytes_give_a_case_or_positioned_findings(raw: bytes) -> None:
    _check(raw)


@PROPERTIES
@given(documents, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_line_endings_and_a_bom_change_nothing(document: Any, newline: str, bom: bool) -> None:
    """The same document with CRLF line endings or a BOM loads to the same data and marks."""
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    plain = _load(text)
    odd = _load(("\ufeff" if bom else "") + text.replace("\n", newline))
    assert odd == plain


def _load(text: str) -> Any:
    try:
        document = yamlsource.load(yamlsource.decode(text.encode("utf-8"), "x"), "x")
    except InputError as exc:
        return [str(f) for f in exc.findings]
    return repr(document.data), document.values, document.keys
