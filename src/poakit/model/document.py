"""A parsed file that remembers where each of its values came from.

`source.yaml` builds a `Document` from YAML: the data, and for every path into it
(`("notice", "issues", 0, "id")`) the line and column of the value and of its key, so any
later finding can point at the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Position

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """Parsed YAML plus the position of every value (`values`) and mapping key (`keys`), and
    where each scalar and flow collection ends (`ends`: the line and column just after it),
    for tools that add to a file without rewriting it."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    ends: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc = (), *, key: bool = False) -> Position:
        """Where `loc` is, or its nearest ancestor that exists in the file."""
        marks = self.keys if key else self.values
        for depth in range(len(loc), -1, -1):
            prefix = tuple(loc[:depth])
            if prefix in marks:
                return Position(self.path, *marks[prefix])
            if key and prefix in self.values:
                return Position(self.path, *self.values[prefix])
        return Position(self.path, 1, 1)
