"""Renderers of a `Letter`: Markdown for the site, plain text for the Seller Central form, DOCX
to attach."""

from __future__ import annotations

from ..letter.letter import Letter
from .markdown import letter_markdown
from .text import DEFAULT_WIDTH, answers_text, letter_text

__all__ = ["DEFAULT_WIDTH", "FORMATS", "render_letter"]

FORMATS = ("markdown", "text", "docx")


def render_letter(
    letter: Letter, fmt: str, *, width: int = DEFAULT_WIDTH, sections: bool = False
) -> bytes:
    """The letter in format `fmt` (one of `FORMATS`), as bytes ready to write.

    `width` and `sections` shape the text format only: lines wrapped at `width` characters
    (0: not wrapped); with `sections`, only the three answers, each labelled with its length.
    """
    if sections and fmt != "text":
        raise ValueError(f"sections shape the text format only, not {fmt}")
    if fmt == "markdown":
        return letter_markdown(letter).encode("utf-8")
    if fmt == "text":
        text = answers_text(letter, width) if sections else letter_text(letter, width)
        return text.encode("utf-8")
    if fmt == "docx":
        from .docx import letter_docx  # python-docx and lxml load only when a DOCX is made

        return letter_docx(letter)
    raise ValueError(f"unknown format {fmt!r}")  # argparse limits the choices
