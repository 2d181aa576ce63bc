"""The one memo: what a long-running process made, kept in memory while its inputs stand.

`mkdocs serve` rebuilds the site on every save; with hundreds of cases, making every page
again would make each rebuild slow. A `Memo` keeps what was made under a key made of what it
was made from (a case's digest, the library's, the day, the page's settings), so a stale
value is never found: nothing has to remember to clear it. `sweep` drops what the last round
of work did not ask for, so a memo holds no more than one build's worth.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._kept: dict[Hashable, Any] = {}
        self._used: set[Hashable] = set()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under `key`, made by `make` the first time it is asked for."""
        self._used.add(key)
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]  # type: ignore[no-any-return]

    def find(self, key: Hashable) -> Any:
        """The value kept under `key`, or None."""
        if key in self._kept:
            self._used.add(key)
        return self._kept.get(key)

    def keep(self, key: Hashable, value: T) -> T:
        self._used.add(key)
        self._kept[key] = value
        return value

    def sweep(self) -> None:
        """Forget what was not asked for since the last sweep."""
        self._kept = {k: v for k, v in self._kept.items() if k in self._used}
        self._used = set()

    def __len__(self) -> int:
        return len(self._kept)


def remembered(memo: Memo | None, key: Hashable | None, make: Callable[[], T]) -> T:
    """`memo.get(key, make)`; just `make()` where there is no memo or no key to keep it by
    (a value without a key of what it is made from could be stale)."""
    if memo is None or key is None:
        return make()
    return memo.get(key, make)
