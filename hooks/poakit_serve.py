"""MkDocs hook: the preview notices a save as soon as the system reports it.

`mkdocs serve` looks for changed files every 0.5 s, so a save waits a quarter of a second on
average (up to half a second) before the rebuild starts. This hook keeps MkDocs' polling, which
works everywhere (a Docker volume, a network drive), and adds the system's own file events
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), which report a save
at once and cost nothing while the preview is idle. Only events that change a file count (a
build reading the cases must not start another build), and polling's late report of a change
the system already reported is dropped, so a save starts one rebuild.

MkDocs has no setting for its observer, and the paths it watches before this event (docs/,
mkdocs.yml, the theme with `--watch-theme`) are already scheduled on it: they move to the new
observer through the server's public `observer`, `watch` and `unwatch`.

It also keeps Python's garbage collector off what the first build loaded and every rebuild
keeps (the theme, the library, the cases: 350,000 objects at a thousand cases), which a full
collection would otherwise walk every few rebuilds (0.4 s each time): frozen once, after a
collection, when the preview starts (`gc.freeze`).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.poakit")
#: The system's events that change something (not a file opened or read: a build reads them).
CHANGES = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileDeletedEvent,
    events.FileMovedEvent,
    events.FileClosedEvent,  # closed after writing
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]


class _Relay(events.FileSystemEventHandler):  # type: ignore[misc]
    """Passes events on to MkDocs' handler: from the system's events, noting each path heard;
    from polling, only those not heard shortly before."""

    def __init__(self, handler: Any, heard: dict[str, float], window: float | None) -> None:
        self.handler, self.heard, self.window = handler, heard, window

    def dispatch(self, event: Any) -> None:
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        now = time.monotonic()
        if self.window is None:
            self.heard.update(dict.fromkeys(paths, now))
        elif any(p in self.heard and now - self.heard[p] < self.window for p in paths):
            return  # the system's events reported it already
        self.handler.dispatch(event)


class BothObserver(PollingObserver):  # type: ignore[misc]
    """MkDocs' polling observer, with the system's file events for the same paths beside it."""

    def __init__(self, timeout: float = 0.5) -> None:
        super().__init__(timeout=timeout)
        self.native = Observer()
        self.native.daemon = True
        self._native_refs: dict[Any, Any] = {}
        self._heard: dict[str, float] = {}  # path -> when the system's events reported it

    def schedule(self, event_handler: Any, path: Any, **kw: Any) -> Any:
        late = _Relay(event_handler, self._heard, self.timeout + 1.0)
        watch = super().schedule(late, path, **kw)
        heard = _Relay(event_handler, self._heard, None)
        try:
            native = self.native.schedule(heard, path, event_filter=CHANGES, **kw)
        except OSError as exc:  # out of inotify watches, say: polling still sees the change
            log.debug(f"No file events for {path} ({exc}): polling only")
        else:
            self._native_refs[watch] = native
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
    gc.collect()  # once: what each rebuild leaves is collected as usual, and cheaply
    gc.freeze()
    return server
