"""Generated pages kept as files, for the preview server.

`mkdocs serve --dirty` rebuilds a page only when its source file is newer than its output. A
page held in memory always counts as changed, so every save would rebuild every page. Backed
by a file that is rewritten only when its content changes, a page is rebuilt only when it
really changed: the edited case's page, and the pages derived from it.

The folder is a temporary one, outside the project: a preview never writes into docs/, cases/
or snippets/.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path


class PageStore:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="poakit-preview-"))
        self._digests: dict[str, bytes] = {}
        self._last: dict[str, str | bytes | Path] = {}

    def file_for(self, page_path: str, content: str | bytes | Path) -> Path:
        """The file holding `content` for `page_path`, rewritten only if the content changed.

        A `Path` is a content-addressed file of the case store (see `casecache`): its name
        changes with its content, so it is copied only when `page_path` gets another one.
        """
        target = self.root / page_path
        if self._last.get(page_path) is content and target.exists():
            return target  # the very object of the last rebuild (kept with its case): unchanged
        self._last[page_path] = content
        if isinstance(content, Path):
            digest = b"file:" + str(content).encode("utf-8")
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            digest = hashlib.blake2b(data, digest_size=16).digest()
        if self._digests.get(page_path) != digest or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(data)
            self._digests[page_path] = digest
        return target

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
