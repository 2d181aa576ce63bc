"""The escaping boundary: one function for each kind of place a case value can land.

A case file is data typed by whoever filled it in, and it may be hostile (a pull request, a
colleague's laptop). Every string from a case reaches a page, a search entry, a title, a
chart, a tag or an export only through the function here for that kind of sink:

| sink                                              | function          |
|---------------------------------------------------|-------------------|
| Markdown text of a generated page                  | `markdown_text`   |
| HTML text (raw HTML islands, SVG text)             | `html_text`       |
| an HTML or SVG attribute value                     | `html_attribute`  |
| JSON inside an HTML `<script>` element             | `json_in_html`    |
| the search index (Material shows entries as HTML)  | `search_text`     |
| a page title (front matter; the theme writes it raw)| `page_title`      |
| a Material tag name (written raw into pages)       | `tag_name`        |
| text inside a Markdown code fence                  | `fenced_text`     |
| plain text exports and terminal output             | `visible`         |
| a GitHub Actions annotation: its message            | `github_message`  |
| a GitHub Actions annotation: a property (file, title)| `github_property` |

Two rules hold for all of them. Line and paragraph separators (U+2028, U+2029, NEL, vertical
tab, form feed, CR) are read as "\\n" once, when a file is loaded (`normalize_breaks`, called
by `yamlsource`), so pages and exports agree on where a value breaks. Control characters and
bidirectional overrides never reach a reader invisibly: `visible` shows them as symbols.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ..source.yaml import normalize_breaks

# -- visible ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Bidirectional embeddings, overrides and isolates reorder what a reader sees ("Trojan
# Source"): shown as their code points, so a letter reads as it will be sent.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(value: str) -> str:
    """Control characters shown as their Unicode pictures (BEL as ␇), bidirectional controls
    as `[U+202E]`; tab and line feed are kept."""
    if value.isprintable():  # no control or format character at all: the common case
        return value
    if _CONTROL.search(value):
        value = _CONTROL.sub(_picture, value)
    if _BIDI.search(value):
        value = _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
    return value


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    return chr(0x2421 if char == "\x7f" else 0x2400 + ord(char))


# -- Markdown ----------------------------------------------------------------------------------

# Python-Markdown resolves a backslash before these (its ESCAPED_CHARS, with the tables
# extension's '|'); block openers are recognised before escapes are, so an escaped opener
# never opens a block.
_BACKSLASHED = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Characters that open a block in the enabled extensions but have no backslash escape: '???'
# (details), '~~~' (fences), '===' (a setext heading of the line before), ':' (definitions).
# Only the first character of a value can start a line (it holds no line break), so only a
# first character needs its numeric reference.
_OPENER = re.compile("^( ?)([?~=:^])")
_SPACE = re.compile(r"[ \t\n]+")


def markdown_text(value: str) -> str:
    """A value as Markdown that renders to exactly its text, inline, on one line.

    No character of it can open a block (`#`, `>`, lists, fences, `|` tables, `!!!`, `???`,
    `{:` attribute lists, setext underlines, indented code, raw HTML) or a span (emphasis,
    code, links, images, hard line breaks), wherever the value sits on its line: every run of
    white space, line breaks included, reads as one space, as HTML shows it anyway.
    """
    value = html.escape(visible(normalize_breaks(value)), quote=False)
    value = _SPACE.sub(" ", _BACKSLASHED.sub(r"\\\1", value))
    return _OPENER.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", value)


def fenced_text(value: str) -> str:
    """Text that cannot close the code fence (of backticks) it is placed in."""
    return visible(value).replace("```", "` ` `")


# -- HTML ----------------------------------------------------------------------------------------


def html_text(value: str) -> str:
    """A value as HTML text, showing as `markdown_text` shows it: on one line."""
    return html.escape(_SPACE.sub(" ", visible(normalize_breaks(value))), quote=False)


def html_attribute(value: str) -> str:
    """A value inside a double- or single-quoted HTML attribute."""
    return html.escape(_SPACE.sub(" ", visible(normalize_breaks(value))), quote=True)


def json_in_html(data: Any) -> str:
    """JSON for a `<script type="application/json">` element: nothing in it can end the
    element (`</script>`), open a comment (`<!--`) or be read as a character reference."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def search_text(value: str) -> str:
    """Text for a search entry's title or text: Material inserts both as HTML."""
    return html_text(value)


def page_title(value: str) -> str:
    """A page title for front matter: Material writes `page.meta.title` unescaped into
    `<title>`, the header and the navigation, so it must already be HTML."""
    return html_text(value)


# Material writes tag names into pages unescaped: keep only characters that cannot be markup.
_TAG_UNSAFE = re.compile(r"[^\w .,()'-]")


def tag_name(value: str) -> str:
    """A Material tag: letters, digits, spaces and `.,()'-` only, on one line."""
    return " ".join(_TAG_UNSAFE.sub("", visible(normalize_breaks(value))).split())


# -- GitHub Actions ------------------------------------------------------------------------------

# The runner reads a line `::error file=F,line=L,col=C,title=T::MESSAGE` of a step's output as an
# annotation and turns `%25`, `%0D`, `%0A` (and in properties `%3A`, `%2C`) back into the
# characters; escaped so, a value cannot end the line (and start a command of its own) or a
# property. These are the escapes of GitHub's own toolkit (`escapeData`, `escapeProperty`).
_GITHUB_MESSAGE = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_MESSAGE, ":": "%3A", ",": "%2C"}


def github_message(value: str) -> str:
    """The message of a GitHub Actions annotation: one line, other controls made visible."""
    return visible("".join(_GITHUB_MESSAGE.get(char, char) for char in value))


def github_property(value: str) -> str:
    """A property value of a GitHub Actions annotation (`file=`, `title=`)."""
    return visible("".join(_GITHUB_PROPERTY.get(char, char) for char in value))
