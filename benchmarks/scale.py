"""Scale benchmark: poakit with N synthetic cases against a hand-kept MkDocs + Material site.

For each N it generates N valid, varied cases (every reason, 1 to 6 root causes) into a
temporary copy of the project, and measures:

1. `mkdocs build` of poakit with the N cases;
2. the baseline: the same N letters as plain Markdown pages of a plain MkDocs + Material site
   that lists them in its navigation;
3. `poa check` over the N cases;
4. preview latency: with `mkdocs serve` running as `make serve` runs it, the time from saving
   one edited case until the served case page, and the cases index, show the change.

poakit keeps checked cases, their files and their pages' HTML in `.cache/poakit` between runs
(src/poakit/project/cache.py, hooks/poakit_html_cache.py). A build from an empty cache and a
`poa check --no-cache` start from nothing ("cold", as a team's CI does from a fresh clone);
the later builds and `poa check` reuse what the earlier ones kept ("warm", as a consultant's
next build does). Both are reported, each with a target.

Each round takes a cold poakit build, a baseline build and a warm poakit build in turn, so
that the three meet the same machine (a shared machine's speed drifts over minutes): wall
times are medians over the rounds, and each ratio is the median of the rounds' ratios to
that round's baseline (the JSON keeps each round's and each check's times too). Every build
writes a site folder of its own, a cold one starts with the cache moved aside, and nothing is
deleted before the end (`builds` says why: ext4 without a journal). Peak memory
is the largest resident set of the command or of the workers it forks (over cold and warm
runs), read by a small process that runs the command (`_MEASURE`: a process forked from this
one would start at this one's size); output and search index sizes come from the built site.
CPU time (user and system, the workers' included) is reported beside each wall time: the
targets are wall times, but CPU time moves far less with the machine's load, so it shows what
a change saved when two runs' wall times differ by more than the change. Prints a table,
writes JSON.

poakit's code (src/, and the hooks of each generated project) is byte-compiled before anything
is measured, as an installed package's is: the baseline's code (MkDocs, Material) was compiled
when pip installed it, and poakit's editable install is not, so in a shell that sets
PYTHONDONTWRITEBYTECODE (as this project's development machine does) every measured process
would otherwise compile poakit's modules from source again (0.1 s a start, and more in the
workers that import lazily).

    python benchmarks/scale.py                 # N = 10, 200, 1000 (make bench)
    python benchmarks/scale.py --sizes 5 --runs 1 --edits 2 --output /tmp/r.json
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true", "POAKIT_TODAY": "2026-11-27"}

TARGETS = {
    "build_ratio_to_baseline": 0.20,  # warm poakit build / baseline build, at the largest N
    "cold_build_ratio_to_baseline": 0.50,  # poakit build from an empty cache / baseline build
    "growth_1000_over_200": 6.0,  # build(1000) / build(200)
    "peak_memory_mb": 200.0,
    "search_index_mb": 4.0,
    "check_seconds": 1.0,  # poa check, warm
    "cold_check_seconds": 3.0,  # poa check --no-cache
    "preview_seconds": 1.0,
}


# -- synthetic cases ------------------------------------------------------------------------------


def synthetic_cases(n: int, snippets: Path) -> dict[str, str]:
    """N valid case files (slug -> YAML), cycling through every reason of the library."""
    sys.path.insert(0, str(REPO / "src"))
    from poakit.project.load import load_library
    from poakit.review.requirements import RULES as REQUIRED

    library = load_library(snippets)
    reasons = [r for r in sorted(library.reasons) if not library.reasons[r].meta.document_only]
    # The checks still run on every case; a synthetic case has none of the facts its reason
    # requires (a metric, suppliers, units...), so their findings are silenced, not missing.
    silence = [
        {"rule": rule, "reason": "a synthetic case holds none of its reason's facts"}
        for rule in sorted(REQUIRED)
    ]
    return {
        f"synthetic-{i:04d}": _case_yaml(i, library, reasons[i % len(reasons)], silence)
        for i in range(n)
    }


def _asin(i: int, k: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    value, out = i * 7 + k, ""
    for _ in range(8):
        value, rest = divmod(value, 36)
        out = digits[rest] + out
    return "B0" + out


def _vars(snippet: Any) -> dict[str, Any]:
    return {n: v.example for n, v in snippet.meta.variables.items() if v.required}


def _case_yaml(i: int, library: Any, rid: str, silence: list[dict[str, str]]) -> str:
    reason = library.reasons[rid]
    asins = [_asin(i, k) for k in range(1 + i % 3)]
    orders = [f"{100 + i % 900:03d}-{i:07d}-{k:07d}" for k in range(1 + i % 2)]
    causes = [c for c in reason.meta.root_causes if c in library.root_causes]
    measures = [library.measures[m] for m in reason.meta.measures if m in library.measures]
    corrective = [m for m in measures if m.meta.serves("corrective")]
    preventive = [m for m in measures if m.meta.serves("preventive")]
    count = 1 + i % 6
    root_causes, actions, prevention = [], [], []
    for k in range(count):
        cid = f"cause-{k + 1}"
        if k < len(causes):
            snippet = library.root_causes[causes[k]]
            root_causes.append(
                {"id": cid, "issues": ["issue-1"], "snippet": snippet.id, "vars": _vars(snippet)}
            )
        else:
            root_causes.append({"id": cid, "issues": ["issue-1"], "text": _sentence(i, k)})
        action = corrective[k % len(corrective)]
        actions.append(
            {
                "root_causes": [cid],
                "snippet": action.id,
                "vars": _vars(action),
                "done": f"2026-10-{5 + k:02d}",
            }
        )
        measure = preventive[k % len(preventive)]
        prevention.append(
            {
                "root_causes": [cid],
                "snippet": measure.id,
                "vars": _vars(measure),
                "since": f"2026-10-{6 + k:02d}",
                "owner": f"Operations lead {k + 1}",
            }
        )
    events = ["submitted", "info-requested", "resubmitted", "reinstated", "denied"]
    case = {
        "visibility": "public",
        "seller": {
            "name": f"Synthetic Seller {i:04d} LLC",
            "store": f"Store {i:04d}",
            "merchant_token": f"A{i:012d}X",
            "marketplace": "amazon.com",
            "signatory": {"name": f"Owner {i}", "title": "Owner"},
        },
        "notice": {
            "received": "2026-10-02",
            "action": "account-deactivated",
            "evidence_window_days": 365,
            "issues": [
                {
                    "id": "issue-1",
                    "reason": rid,
                    "asins": asins,
                    "orders": orders,
                    "summary": f"Amazon raised {reason.meta.title.lower()} on {len(asins)} ASINs.",
                }
            ],
        },
        "investigation": [
            {
                "source": "Order and stock records, January to September 2026",
                "finding": _sentence(i, 99),
            }
        ],
        "root_causes": root_causes,
        "corrective_actions": actions,
        "preventive_measures": prevention,
        "evidence": [
            {
                "title": "Supplier invoices, January to September 2026",
                "kind": "invoice",
                "date": "2026-09-12",
                "asins": asins,
                "orders": orders,
                "file": "invoices.pdf",
            }
        ],
        "follow_up": [{"date": f"2026-10-{10 + k:02d}", "event": events[k]} for k in range(i % 4)],
        "lessons": [f"Lesson {i}: keep invoices for every ASIN in one folder per supplier."],
        "silence": silence,
    }
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True)


def _sentence(i: int, k: int) -> str:
    return (
        f"Our records for batch {i}-{k} showed that the stock count and the order log were "
        "reconciled only once a month, so a mismatch between units received and units listed "
        "could stand for several weeks before anyone in the warehouse team noticed it."
    )


# -- projects -------------------------------------------------------------------------------------


def poakit_project(root: Path, cases: dict[str, str]) -> Path:
    project = root / "poakit"
    project.mkdir()
    # The shipped example cases come along: the guide links to them, as a real project's would.
    for name in ("mkdocs.yml", "hooks", "docs", "snippets", "cases"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    for slug, text in cases.items():
        (project / "cases" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    byte_compiled(project / "hooks")
    return project


def installed_poakit() -> Path:
    """The folder of the poakit package that the measured commands import."""
    found = subprocess.run(
        [str(BIN / "python"), "-c", "import poakit; print(poakit.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip()).parent


def byte_compiled(folder: Path) -> None:
    """Every module under `folder` compiled to its `__pycache__`, as pip compiles a package it
    installs (see the module's docstring)."""
    if not compileall.compile_dir(folder, quiet=1):
        raise RuntimeError(f"could not byte-compile {folder}")


def baseline_project(root: Path, project: Path) -> Path:
    """The same letters as static pages of a plain Material site that lists them in its nav."""
    sys.path.insert(0, str(REPO / "src"))
    from poakit.project.load import load_project
    from poakit.render.markdown import letter_markdown

    base = root / "baseline"
    (base / "docs" / "cases").mkdir(parents=True)
    (base / "docs" / "index.md").write_text("# Plans of Action\n")
    nav = []
    for result in load_project(project, base=project).cases:
        assert result.letter is not None, result.findings
        title = result.letter.case.seller.name
        page = f"# {title}\n\n{letter_markdown(result.letter)}"
        (base / "docs" / "cases" / f"{result.slug}.md").write_text(page, encoding="utf-8")
        nav.append({title: f"cases/{result.slug}.md"})
    config = {
        "site_name": "Baseline",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}, {"Cases": nav}],
    }
    (base / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return base


# -- measuring ------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    cpu_seconds: float  # user + system, of the command and of the workers it waited for


# Runs a command and writes its wall time and peak resident memory to a file. A process made
# by fork() starts out with its parent's peak, and keeps it through exec(): measured from this
# benchmark (which holds a thousand letters), every command would peak at this process's size
# at least. The measuring process is small; the peak it reads (RUSAGE_CHILDREN) is the
# largest of the command and of the workers the command waited for. CPU time (user + system)
# is read the same way: it moves far less than wall time with the machine's load, so it shows
# whether a change saved work when the wall times of two runs are too noisy to tell.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed} {used.ru_maxrss} {used.ru_utime + used.ru_stime}")
sys.exit(code)
"""


def timed(command: list[str], cwd: Path) -> Run:
    """Run `command`, return its wall time, peak resident memory and CPU time (`_MEASURE`)."""
    with tempfile.NamedTemporaryFile("r", suffix=".measure") as measured:
        process = subprocess.run(
            [sys.executable, "-c", _MEASURE, measured.name, *command],
            cwd=cwd,
            env=ENV,
            stderr=subprocess.PIPE,
            check=False,
        )
        if process.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr.decode()[-2000:]}")
        elapsed, peak, cpu = measured.read().split()
    return Run(float(elapsed), int(peak) / 1024, float(cpu))


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )


@dataclass
class Builds:
    cold: Run
    warm: Run
    baseline: Run
    ratio: float  # warm / baseline, the median of the rounds'
    cold_ratio: float  # cold / baseline, likewise
    cold_cpu_ratio: float  # cold / baseline in CPU time, likewise
    rounds: list[dict[str, float]]  # each round's wall seconds: cold, baseline, warm
    site: Path  # the last warm build's site
    baseline_site: Path  # the last baseline build's


def builds(project: Path, baseline: Path, runs: int, aside: Path) -> Builds:
    """`runs` rounds of a poakit build from an empty cache (cold), a baseline build and a
    poakit build that finds what the cold one kept (warm), in turn, so that all three meet
    the same machine (a shared machine's speed drifts over minutes); medians.

    Each build writes a site folder of its own, and each cold build starts with the cache
    moved into `aside`: nothing is deleted while anything is measured (`main` deletes it all
    at the end). On ext4 without a journal (this project's development machine), a new file
    never takes the inode of a file deleted in the last 60 to 300 seconds, and looks at each
    such inode before it finds a free one: deleting a round's nine thousand files just before
    the next round cost each build that writes thousands of files 1.5 to 2 s of system time
    (benchmarks/HISTORY.md, seventeenth pass), which no fresh clone pays."""

    def command(site: Path) -> list[str]:
        return [str(BIN / "mkdocs"), "build", "-d", str(site)]

    cold, ours, theirs = [], [], []
    for k in range(runs):
        set_aside(project / ".cache", aside)
        cold.append(timed(command(project / f"site-cold-{k}"), project))
        theirs.append(timed(command(baseline / f"site-{k}"), baseline))
        ours.append(timed(command(project / f"site-{k}"), project))
    return Builds(
        median(cold),
        median(ours),
        median(theirs),
        statistics.median(o.seconds / t.seconds for o, t in zip(ours, theirs, strict=True)),
        statistics.median(c.seconds / t.seconds for c, t in zip(cold, theirs, strict=True)),
        statistics.median(c.cpu_seconds / t.cpu_seconds for c, t in zip(cold, theirs, strict=True)),
        [
            {"cold": c.seconds, "baseline": t.seconds, "warm": o.seconds}
            for c, t, o in zip(cold, theirs, ours, strict=True)
        ],
        project / f"site-{runs - 1}",
        baseline / f"site-{runs - 1}",
    )


def set_aside(folder: Path, aside: Path) -> None:
    """`folder` moved into `aside` under a name of its own (a rename: nothing is deleted, see
    `builds`); nothing happens if it does not exist."""
    if folder.exists():
        aside.mkdir(parents=True, exist_ok=True)
        folder.rename(aside / f"{folder.name}-{len(list(aside.iterdir()))}")


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def search_finds(site: Path, terms: list[str]) -> dict[str, bool]:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    return {term: term.lower() in index.lower() for term in terms}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def preview_latency(project: Path, slug: str, edits: int) -> list[float]:
    """Seconds from saving an edited case until its page and the cases index show the edit."""
    port = free_port()
    command = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", *SERVE_FLAGS]
    server = subprocess.Popen(
        command, cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: "Plan of Action" in fetch(f"{base}cases/{slug}/"), 600)
        path = project / "cases" / f"{slug}.yaml"
        original = path.read_text(encoding="utf-8")
        seconds = []
        for n in range(edits):
            token = f"Edited Seller {n} {time.time_ns()}"
            time.sleep(1.1)  # file mtimes have one-second resolution on some filesystems
            start = time.perf_counter()
            path.write_text(original.replace("Synthetic Seller", token, 1), encoding="utf-8")
            _wait_for(
                lambda t=token: t in fetch(f"{base}cases/{slug}/") and t in fetch(f"{base}cases/"),
                120,
            )
            seconds.append(time.perf_counter() - start)
        path.write_text(original, encoding="utf-8")
        return seconds
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_for(ready: Any, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"not ready after {timeout} s")


#: The flags `make serve` passes to `mkdocs serve` besides the address (kept in one place:
#: the Makefile's SERVE_FLAGS).
SERVE_FLAGS: list[str] = []


def serve_flags() -> list[str]:
    for line in (REPO / "Makefile").read_text().splitlines():
        if line.startswith("SERVE_FLAGS"):
            return line.split("=", 1)[1].split()
    return []


# -- the run --------------------------------------------------------------------------------------


@dataclass
class Result:
    n: int
    build_seconds: float  # warm: the cache filled by an earlier build
    build_cold_seconds: float
    build_peak_mb: float
    site_mb: float
    search_index_mb: float
    baseline_seconds: float
    baseline_peak_mb: float
    baseline_site_mb: float
    baseline_search_index_mb: float
    check_seconds: float  # warm
    check_cold_seconds: float
    preview_seconds: float | None
    ratio: float  # warm build / baseline build (the median of the rounds' ratios)
    cold_ratio: float  # cold build / baseline build, likewise
    # CPU seconds (user + system, workers included), medians: beside the wall times, which
    # a shared machine's load moves by a fifth or more between runs
    build_cpu_seconds: float
    build_cold_cpu_seconds: float
    baseline_cpu_seconds: float
    check_cpu_seconds: float
    check_cold_cpu_seconds: float
    cold_cpu_ratio: float  # cold build / baseline build in CPU time
    search_found: dict[str, bool] = field(default_factory=dict)
    # each round's wall seconds (cold, baseline, warm): the ratios are the medians of theirs
    build_rounds: list[dict[str, float]] = field(default_factory=list)
    # each run's wall seconds of `poa check --no-cache` and of `poa check`
    check_cold_runs: list[float] = field(default_factory=list)
    check_runs: list[float] = field(default_factory=list)


def measure(n: int, runs: int, edits: int, work: Path) -> Result:
    root = work / f"n{n}"
    root.mkdir()
    project = poakit_project(root, synthetic_cases(n, REPO / "snippets"))
    baseline = baseline_project(root, project)
    made = builds(project, baseline, runs, work / "aside")
    cold, ours, theirs = made.cold, made.warm, made.baseline
    site, base_site = made.site, made.baseline_site
    poa = str(BIN / "poa")
    cold_checks = [timed([poa, "check", "--no-cache"], project) for _ in range(runs)]
    checks = [timed([poa, "check"], project) for _ in range(runs)]
    cold_check, check = median(cold_checks), median(checks)
    first = "synthetic-0000"
    data = yaml.safe_load((project / "cases" / f"{first}.yaml").read_text())
    terms = [data["seller"]["name"], data["notice"]["issues"][0]["asins"][0]]
    latency = statistics.median(preview_latency(project, first, edits)) if edits else None
    return Result(
        n=n,
        build_seconds=ours.seconds,
        build_cold_seconds=cold.seconds,
        build_peak_mb=max(ours.peak_mb, cold.peak_mb),
        site_mb=size_mb(site),
        search_index_mb=(site / "search" / "search_index.json").stat().st_size / 1e6,
        baseline_seconds=theirs.seconds,
        baseline_peak_mb=theirs.peak_mb,
        baseline_site_mb=size_mb(base_site),
        baseline_search_index_mb=(base_site / "search" / "search_index.json").stat().st_size / 1e6,
        check_seconds=check.seconds,
        check_cold_seconds=cold_check.seconds,
        preview_seconds=latency,
        ratio=made.ratio,
        cold_ratio=made.cold_ratio,
        build_cpu_seconds=ours.cpu_seconds,
        build_cold_cpu_seconds=cold.cpu_seconds,
        baseline_cpu_seconds=theirs.cpu_seconds,
        check_cpu_seconds=check.cpu_seconds,
        check_cold_cpu_seconds=cold_check.cpu_seconds,
        cold_cpu_ratio=made.cold_cpu_ratio,
        search_found=search_finds(site, terms),
        build_rounds=made.rounds,
        check_cold_runs=[r.seconds for r in cold_checks],
        check_runs=[r.seconds for r in checks],
    )


def verdicts(results: list[Result]) -> dict[str, dict[str, Any]]:
    """Each target with the measured value at the largest N, and whether it is met."""
    last = max(results, key=lambda r: r.n)
    by_n = {r.n: r for r in results}
    measured: dict[str, float | None] = {
        "build_ratio_to_baseline": last.ratio,
        "cold_build_ratio_to_baseline": last.cold_ratio,
        "growth_1000_over_200": (by_n[1000].build_seconds / by_n[200].build_seconds)
        if 1000 in by_n and 200 in by_n
        else None,
        "peak_memory_mb": last.build_peak_mb,
        "search_index_mb": last.search_index_mb,
        "check_seconds": last.check_seconds,
        "cold_check_seconds": last.check_cold_seconds,
        "preview_seconds": last.preview_seconds,
    }
    return {
        name: {
            "target": target,
            "measured": value,
            "met": None if value is None else value <= target,
        }
        for name, (target, value) in ((k, (TARGETS[k], measured[k])) for k in TARGETS)
    }


def table(results: list[Result]) -> str:
    head = (
        "N",
        "build s",
        "cold s",
        "baseline s",
        "ratio",
        "cold ratio",
        "peak MB",
        "site MB",
        "index MB",
        "base index MB",
        "check s",
        "cold check s",
        "cold check cpu s",
        "cold cpu ratio",
        "preview s",
        "search finds",
    )
    rows = [head]
    for r in results:
        rows.append(
            (
                str(r.n),
                f"{r.build_seconds:.2f}",
                f"{r.build_cold_seconds:.2f}",
                f"{r.baseline_seconds:.2f}",
                f"{r.ratio:.2f}",
                f"{r.cold_ratio:.2f}",
                f"{r.build_peak_mb:.0f}",
                f"{r.site_mb:.1f}",
                f"{r.search_index_mb:.2f}",
                f"{r.baseline_search_index_mb:.2f}",
                f"{r.check_seconds:.2f}",
                f"{r.check_cold_seconds:.2f}",
                f"{r.check_cold_cpu_seconds:.2f}",
                f"{r.cold_cpu_ratio:.2f}",
                "-" if r.preview_seconds is None else f"{r.preview_seconds:.2f}",
                "yes" if all(r.search_found.values()) else "NO",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200, 1000])
    parser.add_argument(
        "--runs", type=int, default=3, help="warm builds and checks per variant (median)"
    )
    parser.add_argument("--edits", type=int, default=5, help="edits for the preview latency")
    parser.add_argument("--output", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    SERVE_FLAGS[:] = serve_flags()
    byte_compiled(installed_poakit())
    load_before = os.getloadavg()  # other work on the machine: reported with the results
    results = []
    with tempfile.TemporaryDirectory(prefix="poakit-bench-") as work:
        for n in args.sizes:
            print(f"measuring N={n} ...", file=sys.stderr, flush=True)
            results.append(measure(n, args.runs, args.edits, Path(work)))
    report = {
        "machine": {
            "python": platform.python_version(),
            # which build of it: an unoptimised one (pyenv's default, no PGO or LTO) takes
            # some 30% more CPU than an optimised one (README, "Which Python")
            "python_executable": os.path.realpath(sys.executable),
            "python_configure": sysconfig.get_config_var("CONFIG_ARGS"),
            # poakit's code is compiled before measuring whatever this says (byte_compiled)
            "dont_write_bytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "results": [asdict(r) for r in results],
        "targets": verdicts(results),
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results))
    before, after = (
        report["machine"]["load_average_before"],
        report["machine"]["load_average_after"],
    )
    print(f"load average (1, 5, 15 min) before {before}, after {after}")
    for name, verdict in report["targets"].items():
        state = "n/a" if verdict["met"] is None else ("met" if verdict["met"] else "MISSED")
        value = "-" if verdict["measured"] is None else f"{verdict['measured']:.2f}"
        print(f"{name:26} target <= {verdict['target']:<6} measured {value:>8}  {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
