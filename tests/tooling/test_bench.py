"""The scale benchmark runs end to end at a tiny size, so it cannot rot.

The speed targets themselves are measured by `make bench` (benchmarks/scale.py), not here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO


def test_benchmark_runs_at_small_n(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "scale.py"),
            "--sizes",
            "3",
            "--runs",
            "1",
            "--edits",
            "1",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(output.read_text())
    (row,) = report["results"]
    assert row["n"] == 3
    assert row["build_seconds"] > 0 and row["baseline_seconds"] > 0 and row["check_seconds"] > 0
    assert row["build_cold_seconds"] > 0 and row["check_cold_seconds"] > 0
    assert row["preview_seconds"] is not None and row["preview_seconds"] > 0
    assert all(row["search_found"].values()), row["search_found"]
    assert row["ratio"] > 0 and row["cold_ratio"] > 0
    # CPU time counts the workers a command forks: a cold check uses more than it waits
    cpu = ("build_cpu_seconds", "build_cold_cpu_seconds", "baseline_cpu_seconds")
    assert all(row[name] > 0 for name in (*cpu, "check_cpu_seconds", "check_cold_cpu_seconds"))
    assert row["cold_cpu_ratio"] > 0
    # each round and run, beside the medians
    (round_,) = row["build_rounds"]
    assert round_["cold"] == row["build_cold_seconds"] and round_["warm"] == row["build_seconds"]
    assert row["check_cold_runs"] == [row["check_cold_seconds"]]
    assert row["check_runs"] == [row["check_seconds"]]
    assert set(report["targets"]) == {
        "build_ratio_to_baseline",
        "cold_build_ratio_to_baseline",
        "growth_1000_over_200",
        "peak_memory_mb",
        "search_index_mb",
        "check_seconds",
        "cold_check_seconds",
        "preview_seconds",
    }
    assert len(report["machine"]["load_average_before"]) == 3
    # which Python ran it, down to its build: an unoptimised build is some 20% slower
    machine = report["machine"]
    assert Path(machine["python_executable"]).is_file()
    assert machine["python_executable"] == os.path.realpath(sys.executable)
    assert isinstance(machine["python_configure"], str)
    assert machine["dont_write_bytecode"] == bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    # what it measured ran compiled, as an installed package does, whatever the shell says
    import poakit.cli.main

    module = Path(poakit.cli.main.__file__)
    compiled = Path(importlib.util.cache_from_source(str(module)))
    assert compiled.is_file() and compiled.stat().st_mtime >= module.stat().st_mtime
    assert "build_ratio_to_baseline" in result.stdout  # the printed table and verdicts


def _scale() -> Any:
    """benchmarks/scale.py as a module (its dataclasses need it in `sys.modules`)."""
    name = "poakit_benchmark_scale"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "scale.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_builds_delete_nothing_while_measuring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every build writes a site folder of its own and each cold one starts from an empty
    cache moved aside, never deleted: on ext4 without a journal, files deleted in the last
    minutes slow down every file made after them (benchmarks/HISTORY.md)."""
    scale = _scale()
    project, baseline, aside = tmp_path / "poakit", tmp_path / "baseline", tmp_path / "aside"
    project.mkdir(), baseline.mkdir()
    built: list[tuple[Path, bool]] = []

    def timed(command: list[str], cwd: Path) -> Any:
        site = Path(command[-1])
        assert not site.exists(), f"{site} is built over"  # a folder of its own each time
        built.append((site, (cwd / ".cache").exists()))
        site.mkdir()
        (cwd / ".cache" / "poakit").mkdir(parents=True, exist_ok=True)  # what a build keeps
        (cwd / ".cache" / "poakit" / f"made-by-{site.name}").write_text("x")
        return scale.Run(1.0, 10.0, 1.0)

    monkeypatch.setattr(scale, "timed", timed)
    made = scale.builds(project, baseline, 3, aside)
    cold = [cache for site, cache in built if site.name.startswith("site-cold-")]
    assert cold == [False, False, False]  # each cold build found no cache
    warm = [cache for site, cache in built if site.parent == project and "cold" not in site.name]
    assert warm == [True, True, True]  # each warm build found the cold one's
    # nothing deleted: the first two rounds' caches were moved aside, whole
    kept = sorted(path.name for path in aside.iterdir())
    assert kept == [".cache-0", ".cache-1"]
    for folder in aside.iterdir():
        assert len(list((folder / "poakit").iterdir())) == 2  # the cold and warm builds' files
    assert made.site == project / "site-2" and made.baseline_site == baseline / "site-2"
    assert all(site.is_dir() for site, _ in built)
