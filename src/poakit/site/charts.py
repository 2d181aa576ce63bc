"""Small charts drawn at build time as inline SVG: no JavaScript, no external service.

The output depends only on the numbers and labels given (fixed sizes, fixed number formats),
so the same data always gives the same bytes. Labels are escaped: they may come from files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..templating.escape import html_attribute, html_text

WIDTH = 640
LABEL_WIDTH = 250
ROW = 22
BAR = 14
TOP = 26  # room for the legend
LABEL_CHARS = 38


@dataclass(frozen=True)
class Series:
    """One kind of segment: its name in the legend and its colour."""

    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, in the order of the series


def stacked_bars(title: str, series: Sequence[Series], bars: Sequence[Bar]) -> str:
    """A horizontal stacked bar chart in a block `<div>`, ready to place in Markdown."""
    if not bars:
        return ""
    height = TOP + ROW * len(bars) + 4
    biggest = max(max(sum(bar.values) for bar in bars), 1)
    scale = (WIDTH - LABEL_WIDTH - 40) / biggest
    lines = [
        '<div class="poakit-chart">',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{html_attribute(title)}" font-size="12">',
        f"<title>{html_text(title)}</title>",
        *_legend(series),
        *(_bar(bar, series, TOP + ROW * index, scale) for index, bar in enumerate(bars)),
        "</svg>",
        "</div>",
    ]
    return "\n".join(lines)


def _legend(series: Sequence[Series]) -> list[str]:
    items = []
    x = LABEL_WIDTH
    for item in series:
        items.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{item.colour}"/>'
            f'<text x="{x + 16}" y="14" fill="currentColor">{html_text(item.name)}</text>'
        )
        x += 24 + 7 * len(item.name)
    return items


def _bar(bar: Bar, series: Sequence[Series], y: int, scale: float) -> str:
    parts = ", ".join(f"{v} {s.name}" for v, s in zip(bar.values, series, strict=True))
    label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
    shapes = [
        f"<g><title>{html_text(bar.label)}: {html_text(parts)}</title>",
        f'<text x="{LABEL_WIDTH - 8}" y="{y + 11}" text-anchor="end" '
        f'fill="currentColor">{html_text(label)}</text>',
    ]
    x = float(LABEL_WIDTH)
    for value, item in zip(bar.values, series, strict=True):
        if value:
            width = value * scale
            shapes.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{item.colour}"/>'
            )
            x += width
    shapes.append(
        f'<text x="{x + 6:.1f}" y="{y + 11}" fill="currentColor">{sum(bar.values)}</text>'
    )
    shapes.append("</g>")
    return "".join(shapes)
