"""The one cache: what checks and builds made, kept on disk between runs, verified on read.

Checking a case and making its page, text and DOCX cost some 30 ms; a generated page's HTML
some 12 ms more. All of it depends only on what it is made from, so it is kept in
`.cache/poakit/` under a key made of exactly that: the case file's bytes and the path messages
show for it, the library's content, poakit's own code and the versions of the libraries that
shape its output. Keys hold no absolute path, so a cache copied to another folder or machine
gives the same output.

Two kinds of file, both checked before use:

- an **entry** (`entries/ab/KEY`): a header line with the digest of the body, then the body.
  Read back only if the body still has that digest;
- a **blob** (`blobs/ab/DIGEST.EXT`): a file named by the digest of its content, which a site
  builder may read by its path (a case page, its downloads). Handed out only after its
  content is hashed again and still matches its name.

Anything that fails the check (a crash mid-write, a hand edit, a flipped bit, a truncated or
emptied file) is deleted and counts as missing: it is made again, never published, never a
traceback. Every write is atomic (`fileio.write_atomic`). Each generation (poakit's code and
the shaping libraries' versions) has its own folder; files unused for `UNUSED_DAYS` and older
generations are dropped (`tidy`, at the start of a load at most once an hour, so nothing a
build hands out is dropped under it). Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import jinja2
import jinja2.bccache

from ..errors import UsageError
from ..fileio import write_atomic

#: Bump when the layout of the cache changes.
FORMAT = 3
#: Files not read or written for this many days are dropped.
UNUSED_DAYS = 7
#: Generations (of poakit's code) kept besides the current one.
KEPT_GENERATIONS = 2
#: Seconds between two tidyings of a cache (by any process): what `tidy` drops has gone
#: unused for days, and listing every file of the cache was a tenth of a warm `poa check`
#: and of a preview's rebuild.
TIDY_EVERY = 3600
#: Libraries whose versions change what a case turns into.
_SHAPING = (
    "poakit",
    "pydantic",
    "pydantic-core",
    "jinja2",
    "pyyaml",
    "python-docx",
    "mkdocs",
    "markdown",
    "pymdown-extensions",
    "mkdocs-material",
)
_HEADER = b"poakit-cache "


def digest(*parts: bytes | str) -> str:
    """A short hex digest of `parts` (each separated, so ("ab", "c") differs from ("a", "bc"))."""
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """poakit's own source, and the versions of the libraries that shape its output."""
    from importlib import metadata  # some 35 ms, only where a cache is used

    package = Path(__file__).resolve().parent.parent
    parts: list[bytes | str] = []
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in _SHAPING:
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{name}={metadata.version(name)}")
    parts.append(f"{sys.version_info[:2]}:{FORMAT}")
    return digest(*parts)


def folder_fingerprint(folder: Path) -> str:
    """Everything under `folder`, by relative path: each file's content, and what each other
    entry is (a link and where it leads, a folder, a file that cannot be read), so that a
    file replaced by a link to the same bytes, or by a folder, changes it too."""
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob("*")):
        parts.append(path.relative_to(folder).as_posix())
        try:
            if path.is_symlink():
                parts.append(f"link:{os.readlink(path)}")
            elif path.is_file():
                parts.append(path.read_bytes())
            else:
                parts.append("folder" if path.is_dir() else "other")
        except OSError as exc:
            parts.append(f"unreadable:{exc.errno}")
    return digest(*parts)


class Cache:
    """The cache in `folder` (`.cache/poakit` of a project), for this generation of the code."""

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder = folder / code_fingerprint()[:16]

    # -- entries --------------------------------------------------------------------------------
    def empty(self) -> bool:
        """Whether it holds no entry yet (a fresh clone's cache, or a new generation's)."""
        return not (self.folder / "entries").is_dir()

    def get(self, key: str) -> bytes | None:
        """The entry stored under `key`, if it is there and intact."""
        path = self._entry(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        header, newline, body = data.partition(b"\n")
        if not newline or header != _HEADER + digest(body).encode("ascii"):
            self._drop(path)
            return None
        _touch(path)
        return body

    def put(self, key: str, body: bytes) -> bool:
        """Keep `body` under `key`; False when the cache cannot be written (the next run is
        only slower)."""
        data = _HEADER + digest(body).encode("ascii") + b"\n" + body
        return _write(self._entry(key), data)

    # -- blobs ----------------------------------------------------------------------------------
    def blob(self, data: bytes, extension: str = "") -> Path | None:
        """A file holding `data`, named by its digest: the same content, the same file (whose
        modification time then does not change). None when the cache cannot be written."""
        name = digest(data)
        path = self._blob(name, extension)
        if self._intact(path, name) or _write(path, data):
            return path
        return None

    def blob_path(self, name: str, extension: str = "") -> Path | None:
        """The blob `name` (a digest `blob` gave), if it is there and intact."""
        path = self._blob(name, extension)
        return path if self._intact(path, name) else None

    def _intact(self, path: Path, name: str) -> bool:
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if digest(data) != name:
            self._drop(path)
            return False
        _touch(path)
        return True

    # -- housekeeping -------------------------------------------------------------------------
    def tidy(self) -> None:
        """Drop files unused for `UNUSED_DAYS` and all but the newest generations; at most
        once in `TIDY_EVERY` seconds (a stamp file in the folder says when it last did)."""
        stamp = self.folder / "tidied"
        with contextlib.suppress(OSError):
            if 0 <= time.time() - stamp.stat().st_mtime < TIDY_EVERY:
                return
        limit = time.time() - UNUSED_DAYS * 86400
        with contextlib.suppress(OSError):  # a folder that cannot be listed is left as it is
            for path in _files(self.folder):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < limit:
                        path.unlink()
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)
            generations = sorted(
                (p for p in self.root.iterdir() if p.is_dir()),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for old in generations[KEPT_GENERATIONS + 1 :]:
                shutil.rmtree(old, ignore_errors=True)
            stamp.touch()

    def _entry(self, key: str) -> Path:
        return self.folder / "entries" / key[:2] / key

    def _blob(self, name: str, extension: str) -> Path:
        return self.folder / "blobs" / name[:2] / (f"{name}.{extension}" if extension else name)

    @staticmethod
    def _drop(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


class PageBlobs:
    """The pages a preview (`mkdocs serve --dirty`) hands its builder on every save, as blobs:
    a page whose content is unchanged is the same file, which the builder does not read again.

    Most pages are the same as last time, often the very same object (a site's memo gives it
    back): such a page whose blob has not changed on disk since (same size and modification
    time) is not hashed again."""

    def __init__(self) -> None:
        self._last: dict[tuple[Path, str], tuple[str | bytes, Path, tuple[int, int]]] = {}
        self._handed: dict[str, Path] = {}

    def handed(
        self, cache: Cache | None, page: str, content: Path | str | bytes
    ) -> Path | str | bytes:
        """What to hand the builder for `page`: the path of its blob, or its content when it
        is made of another blob than last time. A save undone makes a page of a blob *older*
        than the HTML the builder wrote since, which it would judge unmodified; by its content
        it is always rebuilt. Without a cache (not a preview), the content as it is."""
        if cache is None:
            return content
        path = content if isinstance(content, Path) else self.blob(cache, page, content)
        if path is None or self._handed.setdefault(page, path) == path:
            return path or content
        self._handed[page] = path
        try:
            return path.read_bytes()
        except OSError:
            return content

    def blob(self, cache: Cache, page: str, content: str | bytes) -> Path | None:
        """The blob in `cache` of `content`, page `page`'s (see `Cache.blob`)."""
        key = (cache.folder, page)
        last = self._last.get(key)
        if last is not None and last[0] is content and _signature(last[1]) == last[2]:
            return last[1]
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = cache.blob(data, page.rsplit(".", 1)[-1])
        signature = None if path is None else _signature(path)
        if path is None or signature is None:
            self._last.pop(key, None)
        else:
            self._last[key] = (content, path, signature)
        return path


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _write(path: Path, data: bytes) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, overwrite=True, durable=False)
    except (OSError, UsageError):
        return False
    return True


def _touch(path: Path) -> None:
    """Mark a file as used (for `tidy`), at most once a day: a blob whose modification time
    changed would look edited to `mkdocs serve --dirty`, which would rebuild its page."""
    with contextlib.suppress(OSError):
        if path.stat().st_mtime < time.time() - 86400:
            os.utime(path)


def _files(folder: Path) -> Iterable[Path]:
    for kind in ("entries", "blobs"):
        yield from (folder / kind).glob("*/*")


class BytecodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates (the site theme's, the snippets') kept as entries of the
    cache. Jinja itself checks that the code was compiled from the template's current source;
    the code also depends on the environment that compiled it (the snippets' sandbox meters
    operations the theme's does not), so each environment has a `namespace` of its own."""

    def __init__(self, cache: Cache, namespace: str = "jinja") -> None:
        self.cache = cache
        self.namespace = namespace

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get(digest(self.namespace, bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put(digest(self.namespace, bucket.key), bucket.bytecode_to_string())
