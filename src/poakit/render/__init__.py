"""Renderers of a `Letter`: Markdown for the site, plain text for the Seller Central form."""

from __future__ import annotations

from ..letter import Letter
from .markdown import letter_markdown
from .text import letter_text

FORMATS = ("markdown", "text")


def render_letter(letter: Letter, fmt: str) -> bytes:
    """The letter in format `fmt` (one of `FORMATS`), as bytes ready to write."""
    if fmt == "markdown":
        return letter_markdown(letter).encode("utf-8")
    if fmt == "text":
        return letter_text(letter).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")  # argparse limits the choices
