"""The render budget of a snippet (`poakit.sandbox`): each limit, at its edge.

The bombs of the issue that asked for the budget are golden files under
tests/golden/bad-snippets (ljust-bomb, center-filter-bomb, join-bomb, power-tower,
nested-range-loops, ...), each with its exact finding. Here each part of the budget is shown
to hold exactly at its limit and to stop one step past it, with small budgets so the tests
are quick, and the default budget is shown to leave every shipped snippet alone.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURES, REPO

from poakit.letter.samples import render_sample, sections_of
from poakit.model.library import Kind, Library
from poakit.project.load import load_library
from poakit.templating import render as render_module
from poakit.templating.render import RenderError
from poakit.templating.sandbox import DEFAULT_BUDGET, Budget

BODY_START = "---\ntitle: T\nsummary: S.\nreasons: [inauthentic]\n---\n"


def _library(tmp_path: Path, body: str) -> Library:
    root = tmp_path / "snippets"
    if not root.exists():
        import shutil

        shutil.copytree(FIXTURES / "mini" / "snippets", root)
    (root / "root-causes" / "probe.md").write_text(BODY_START + body + "\n")
    return load_library(root)


def _render(tmp_path: Path, body: str, **limits: float) -> str:
    library = _library(tmp_path, body)
    budget = dataclasses.replace(DEFAULT_BUDGET, **limits)
    return render_sample(library, library.root_causes["probe"], "root_causes", budget).plain()


def _refused(tmp_path: Path, body: str, **limits: float) -> str:
    with pytest.raises(RenderError) as raised:
        _render(tmp_path, body, **limits)
    finding = raised.value.finding
    assert finding.rule == "snippet-budget"
    assert finding.position.path.endswith("root-causes/probe.md")
    assert finding.position.line == 6  # the body's first line
    return finding.message


def test_loops_may_run_exactly_their_budget(tmp_path: Path) -> None:
    body = "{% for i in range(3) %}{% for j in range(3) %}.{% endfor %}{% endfor %}"
    assert _render(tmp_path, body, iterations=12) == "." * 9
    message = _refused(tmp_path, body, iterations=11)
    assert message.endswith("the loops of a snippet may run 11 times in all")
    flat = "{% for i in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] %}.{% endfor %}"
    assert _refused(tmp_path, flat, iterations=11).endswith("more than 11 times in all")


def test_a_range_longer_than_the_budget_is_refused_before_it_loops(tmp_path: Path) -> None:
    assert "range(0, 50) would loop 50 times" in _refused(
        tmp_path, "{% for i in range(0, 50) %}{% endfor %}", iterations=49
    )


def test_recursive_loops_count_every_level(tmp_path: Path) -> None:
    body = "{% for x in [[1, 2], [3, 4]] recursive %}{% if x is iterable %}{{ loop(x) }}{% endif %}{% endfor %}"
    assert _render(tmp_path, body, iterations=6) == ""
    assert "more than 5 times" in _refused(tmp_path, body, iterations=5)


def test_printed_text_may_reach_its_budget(tmp_path: Path) -> None:
    body = "{% for i in range(4) %}abcde{% endfor %}"  # 20 characters of loop text
    assert _render(tmp_path, body, output=20) == "abcde" * 4
    assert "print more than 19 characters" in _refused(tmp_path, body, output=19)


def test_built_text_may_reach_its_budget(tmp_path: Path) -> None:
    body = '{{ "ab".ljust(30) }}'
    assert _render(tmp_path, body, built=30).rstrip() == "ab"
    assert "'ljust' would build 30 characters or items" in _refused(tmp_path, body, built=29)


def test_integers_may_reach_their_size(tmp_path: Path) -> None:
    assert _render(tmp_path, "{{ 2 ** 63 }}", integer_bits=64) == str(2**63)
    assert "'**' would make an integer of 65 bits" in _refused(
        tmp_path, "{{ 2 ** 64 }}", integer_bits=64
    )


def test_a_render_that_takes_too_long_stops(tmp_path: Path) -> None:
    message = _refused(tmp_path, "{% for i in range(3) %}.{% endfor %}", seconds=0.0)
    assert message.endswith("the render took longer than 0 s")


def test_a_macro_that_calls_itself_for_ever_is_a_finding(tmp_path: Path) -> None:
    library = _library(tmp_path, "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")
    with pytest.raises(RenderError) as raised:
        render_sample(library, library.root_causes["probe"], "root_causes")
    assert str(raised.value.finding).endswith(
        "a macro of snippet 'probe' calls itself without end (stop the macro's recursion "
        "with an {% if %} on a value that changes) [snippet-budget]"
    )


def test_the_budget_is_per_render(tmp_path: Path) -> None:
    """Spending does not carry over: the same snippet renders again and again."""
    library = _library(tmp_path, "{% for i in range(8) %}.{% endfor %}")
    for _ in range(5):
        assert (
            render_sample(library, library.root_causes["probe"], "root_causes").plain() == "." * 8
        )


def test_every_shipped_snippet_renders_well_within_the_default_budget() -> None:
    """A tenth of the default budget is plenty for the whole library as shipped."""
    library = load_library(REPO / "snippets")
    budget = Budget(
        output=DEFAULT_BUDGET.output // 10,
        built=DEFAULT_BUDGET.built // 10,
        iterations=DEFAULT_BUDGET.iterations // 10,
    )
    rendered = 0
    for kind in (Kind.ROOT_CAUSE, Kind.MEASURE, Kind.LETTER):
        for snippet in library.of(kind).values():
            for section in sections_of(snippet):
                render_sample(library, snippet, section, budget)
                rendered += 1
    assert rendered > 100


def test_a_snippet_is_compiled_once_and_then_rendered_from_what_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library's templates are kept by name once compiled: rendering a snippet again asks
    Jinja for nothing, and renders the same."""
    library = _library(tmp_path, "Stock of {{ seller.name }} was counted.")
    snippet = library.root_causes["probe"]
    first = render_sample(library, snippet, "root_causes").plain()
    env = render_module.environment(library)
    monkeypatch.setattr(env, "get_template", lambda *a, **k: pytest.fail("compiled again"))
    assert render_sample(library, snippet, "root_causes").plain() == first
    assert "was counted" in first


def test_a_snippet_that_does_not_compile_is_never_kept(tmp_path: Path) -> None:
    library = _library(tmp_path, "Stock was {{ counted")
    snippet = library.root_causes.get("probe")
    assert snippet is None  # the library dropped it, with a finding
    assert any(f.rule == "snippet-syntax" for f in library.findings)
    with pytest.raises(jinja2.TemplateNotFound):
        render_module._template(library, "root-causes/probe")
    assert "root-causes/probe" not in render_module._sandbox(library)[1]


def test_a_library_no_longer_used_is_freed_with_its_templates(tmp_path: Path) -> None:
    """A library's environment and compiled templates live as long as the library, no longer:
    the preview loads a new library on each save of a snippet (some 4 MB each)."""
    import gc
    import weakref

    library = _library(tmp_path, "Stock of {{ seller.name }} was counted.")
    render_sample(library, library.root_causes["probe"], "root_causes")
    assert render_module._sandbox(library)[1]  # kept while it is used
    held = weakref.ref(library)
    del library
    gc.collect()
    assert held() is None
