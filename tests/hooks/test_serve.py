"""The hook `hooks/poakit_serve.py`: the preview hears of a save from the system's file
events at once, and still polls as MkDocs does, for every path MkDocs watched."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import hook_module
from mkdocs.livereload import LiveReloadServer

serve_hook = hook_module("poakit_serve")


def _server(tmp_path: Path, built: list[float], polling: float = 0.5) -> LiveReloadServer:
    site = tmp_path / "site"
    site.mkdir()
    return LiveReloadServer(
        builder=lambda: built.append(time.monotonic()),
        host="127.0.0.1",
        port=0,
        root=str(site),
        polling_interval=polling,
    )


def _config(tmp_path: Path) -> SimpleNamespace:
    docs, theme = tmp_path / "docs", tmp_path / "theme"
    docs.mkdir()
    theme.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    return SimpleNamespace(
        docs_dir=str(docs),
        config_file_path=str(tmp_path / "mkdocs.yml"),
        theme=SimpleNamespace(dirs=[str(theme)]),
    )


def _watched(observer: Any) -> dict[str, float]:
    return {e.watch.path: e.timeout for e in observer.emitters}


def test_every_path_mkdocs_watched_is_polled_and_has_file_events_too(tmp_path: Path) -> None:
    config = _config(tmp_path)
    server = _server(tmp_path, [])
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    server.watch(config.docs_dir)  # watched twice: MkDocs counts, and so must the move
    before = _watched(server.observer)
    assert len(before) == 2 and set(before.values()) == {0.5}  # MkDocs' own interval

    server = serve_hook.on_serve(server, config=config, builder=server.builder)
    server.watch(str(tmp_path / "cases"))  # `watch:` of mkdocs.yml comes after the event

    # the same paths (the theme was not watched, without --watch-theme, and is not now)
    expected = {*before, str(tmp_path / "cases")}
    assert _watched(server.observer) == dict.fromkeys(expected, 0.5)
    assert set(_watched(server.observer.native)) == expected
    server.unwatch(config.docs_dir)
    assert config.docs_dir in _watched(server.observer)  # still watched once more
    server.unwatch(config.docs_dir)
    assert config.docs_dir not in _watched(server.observer)
    assert config.docs_dir not in _watched(server.observer.native)


def _rebuilds_after_saving(
    server: LiveReloadServer, built: list[float], files: list[Path]
) -> list[float]:
    """Seconds from each save until the server started a rebuild."""
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    seconds = []
    try:
        time.sleep(0.5)  # the observers' first listing
        for changed in files:
            count = len(built)
            start = time.monotonic()
            changed.write_text(f"seller: {start}\n")
            while len(built) == count and time.monotonic() < start + 10:
                time.sleep(0.01)
            assert len(built) > count, f"no rebuild after saving {changed.name}"
            seconds.append(built[count] - start)
            time.sleep(0.3)  # one rebuild a save
    finally:
        server.shutdown(wait=True)
    return seconds


def _project(tmp_path: Path) -> tuple[SimpleNamespace, list[Path]]:
    config = _config(tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.yaml").write_text("seller: a\n")
    return config, [cases / "a.yaml", Path(config.docs_dir) / "index.md", cases / "a.yaml"]


def test_a_save_starts_a_rebuild_long_before_the_next_poll(tmp_path: Path) -> None:
    config, files = _project(tmp_path)
    built: list[float] = []
    server = _server(tmp_path, built, polling=30)  # no poll during the test
    server.watch(config.docs_dir)
    server = serve_hook.on_serve(server, config=config, builder=server.builder)
    server.watch(str(files[0].parent))
    seconds = _rebuilds_after_saving(server, built, files)
    # MkDocs waits 0.1 s for changes to stop; the rest is the file event's delivery
    assert max(seconds) < 2, seconds


def test_without_file_events_the_polling_still_sees_a_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refused(serve_hook.Observer):  # type: ignore[misc,name-defined]
        def schedule(self, *args: Any, **kwargs: Any) -> Any:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(serve_hook, "Observer", Refused)
    config, files = _project(tmp_path)
    built: list[float] = []
    server = _server(tmp_path, built, polling=0.2)
    server.watch(config.docs_dir)
    server = serve_hook.on_serve(server, config=config, builder=server.builder)
    server.watch(str(files[0].parent))
    assert not _watched(server.observer.native)
    assert len(_rebuilds_after_saving(server, built, files)) == len(files)


def test_a_save_starts_one_rebuild_though_the_build_reads_the_files(tmp_path: Path) -> None:
    """The system reports a file read (opened, closed without writing) as an event too, and
    polling reports the save again up to half a second later: neither may start a build."""
    config, files = _project(tmp_path)
    starts: list[float] = []

    def build() -> None:  # as a build does: read every watched file
        starts.append(time.monotonic())
        for path in [*files, Path(config.config_file_path)]:
            if path.exists():
                path.read_bytes()

    server = _server(tmp_path, [])
    server.builder = build
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    server = serve_hook.on_serve(server, config=config, builder=build)
    server.watch(str(files[0].parent))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        time.sleep(0.6)  # the observers' first listing
        for n, changed in enumerate(files, start=1):
            changed.write_text(f"seller: {n}\n")
            time.sleep(2)  # four polls of MkDocs' observer, and time for a build to loop
            assert len(starts) == n, f"{len(starts)} builds after {n} saves"
    finally:
        server.shutdown(wait=True)


def test_the_preview_keeps_the_collector_off_what_the_first_build_loaded(tmp_path: Path) -> None:
    """What is loaded when the preview starts is frozen (rebuilds' collections skip it), after
    a collection: garbage of the first build is freed, not kept for good."""

    class Node:
        pass

    loaded, garbage = [Node() for _ in range(1000)], Node()
    garbage.self = garbage  # type: ignore[attr-defined]  # a cycle: only a collection frees it
    gone = weakref.ref(garbage)
    del garbage
    before = gc.get_freeze_count()
    try:
        serve_hook.on_serve(_server(tmp_path, []), config=_config(tmp_path), builder=None)
        assert gone() is None
        assert gc.get_freeze_count() >= before + len(loaded)
        collected = {id(o) for o in gc.get_objects()}  # every generation but the frozen one
        assert not any(id(node) in collected for node in loaded)
    finally:
        gc.unfreeze()
