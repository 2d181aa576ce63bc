"""MkDocs hook: the preview notices a save as soon as the system reports it.

`mkdocs serve` looks for changed files every 0.5 s, so a save waits a quarter of a second on
average (up to half a second) before the rebuild starts. This hook keeps MkDocs' polling, which
works everywhere (a Docker volume, a network drive), and adds the system's own file events
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), which report a save
at once and cost nothing while the preview is idle. Both call the same handler; MkDocs waits
0.1 s for changes to stop before it rebuilds, so a save seen twice starts one rebuild.

MkDocs has no setting for its observer, and the paths it watches before this event (docs/,
mkdocs.yml, the theme with `--watch-theme`) are already scheduled on it: they move to the new
observer through the server's public `observer`, `watch` and `unwatch`.
"""

from __future__ import annotations

import logging
from typing import Any

from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.poakit")


class BothObserver(PollingObserver):  # type: ignore[misc]
    """MkDocs' polling observer, with the system's file events for the same paths beside it."""

    def __init__(self, timeout: float = 0.5) -> None:
        super().__init__(timeout=timeout)
        self.native = Observer()
        self.native.daemon = True
        self._native_refs: dict[Any, Any] = {}

    def schedule(self, event_handler: Any, path: Any, **kw: Any) -> Any:
        watch = super().schedule(event_handler, path, **kw)
        try:
            self._native_refs[watch] = self.native.schedule(event_handler, path, **kw)
        except OSError as exc:  # out of inotify watches, say: polling still sees the change
            log.debug(f"No file events for {path} ({exc}): polling only")
        return watch

    def unschedule(self, watch: Any) -> None:
        super().unschedule(watch)
        if watch in self._native_refs:
            self.native.unschedule(self._native_refs.pop(watch))

    def start(self) -> None:
        super().start()
        try:
            self.native.start()
        except OSError as exc:
            log.debug(f"No file events ({exc}): polling only")

    def stop(self) -> None:
        super().stop()
        if self.native.is_alive():
            self.native.stop()

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.native.is_alive():
            self.native.join(timeout)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    candidates = [config.docs_dir, config.config_file_path, *config.theme.dirs]
    moved = []  # a path watched twice is unwatched twice (MkDocs counts the watches)
    for path in dict.fromkeys(p for p in candidates if p):
        while True:
            try:
                server.unwatch(path)
            except KeyError:  # no more watches (the theme is not watched by default)
                break
            moved.append(path)
    server.observer = BothObserver(timeout=server.observer.timeout)
    for path in moved:
        server.watch(path)
    return server
