"""HTML as a reader sees it, and the site's own Markdown: for tests that hold HTML poakit
writes itself (render.html, islands) to what Python-Markdown would write."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
from conftest import REPO

_BLOCK = re.compile("p|ul|ol|li|table|thead|tbody|tr|td|th|div|h[1-6]")


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions (and their settings) of the site's mkdocs.yml."""
    from mkdocs.utils import yaml_load

    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        settings = yaml_load(handle)
    names, configs = [], {}
    for entry in settings["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        configs[name] = config or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text = ""

    def flush(self) -> None:
        if self.text.strip():
            self.out.append("text:" + " ".join(self.text.split()))
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, f"</{tag}>")

    def _tag(self, tag: str, mark: str) -> None:
        """A block's tag stands on its own; an inline one (strong, em...) is part of the text."""
        if _BLOCK.fullmatch(tag):
            self.flush()
            self.out.append(mark)
        else:
            self.text += mark

    def handle_data(self, data: str) -> None:
        self.text += data


def read(source: str) -> list[str]:
    """The HTML as a reader sees it: the same elements in the same order, with the same
    attributes and text (character references resolved, runs of white space as one space,
    none at the edges of a block or of bold and italic)."""
    reader = _Reader()
    reader.feed(source)
    reader.close()
    reader.flush()
    return [re.sub(r"\s*(</?(?:strong|em) \[\]>)\s*", r" \1 ", item).strip() for item in reader.out]
