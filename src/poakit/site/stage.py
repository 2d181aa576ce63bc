"""A builder-neutral docs tree: the site with every page finished (`poa stage DIR`).

The project's own build needs MkDocs for three things: its hooks add the generated pages,
mkdocs-macros renders the guide's macros, and a hook unwraps the raw HTML that generated
pages hand Markdown as comments (`markup.html_island`). A builder that does none of these
(Zensical reads mkdocs.yml and emulates mkdocs-macros, but runs no hooks) makes a site with
no cases. A stage does that work once, here, and writes:

    DIR/mkdocs.yml   the project's, without hooks or macros (`siteconfig.staged_config`)
    DIR/docs/        every file of docs/, the guide's macros rendered; every generated page
                     as Markdown, its HTML islands opened; the assets and the downloads

It shows what `make build` shows: the public cases only, unless POAKIT_INCLUDE_PRIVATE says
otherwise (the same setting, read by the same parser), and it stops on the errors that stop
a build. The same project, settings and day give the same bytes, wherever DIR is.

One difference, on purpose: a build leaves case pages out of the theme's search index and
adds a compact entry per case after the theme wrote it (`searchindex`, a hook). No builder
runs that hook on a staged tree, so its case pages are indexed as pages; their sections carry
`markup.UNINDEXED`, so each case is still one entry, its head: title, seller, reasons, status.
"""

from __future__ import annotations

import posixpath
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..errors import ConfigError, Finding, InputError, Level, Position, UsageError, error
from ..fileio import write_folder_atomic
from ..project.loader import cache_folder, loader
from ..project.parallel import Progress
from ..project.settings import build_date, include_private, parse_today
from ..source.layout import CASES_DIR, SNIPPETS_DIR
from . import dashboard, guide
from .markup import open_islands, resolve_links
from .pages import Page, prepare_case, published_findings, site_pages
from .siteconfig import (
    CONFIG_FILE,
    docs_dir,
    dump_config,
    is_staged,
    macros_options,
    poakit_settings,
    read_config,
    staged_config,
)
from .urls import source_link

#: The rule of a finding about a guide page whose macros cannot be rendered.
MACRO_RULE = "guide-macro"
# MkDocs' own test for front matter (mkdocs.utils.meta): a '---' line, YAML, '---' or '...'.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_RENDER_FLAG = re.compile(r"^render_macros[ \t]*:.*\n", re.MULTILINE)
# What mkdocs-macros does with a name nobody defined (its `on_undefined` option).
_UNDEFINED: dict[str, type[jinja2.Undefined]] = {
    "keep": jinja2.DebugUndefined,
    "silent": jinja2.Undefined,
    "lax": jinja2.Undefined,
    "strict": jinja2.StrictUndefined,
}


@dataclass(frozen=True)
class Stage:
    """What `stage` wrote: the folder, its number of pages and of other files, and the
    warnings a build of the same project would log."""

    folder: Path
    pages: int
    files: int
    findings: tuple[Finding, ...]


def stage(
    root: Path, folder: Path, *, force: bool = False, progress: Progress | None = None
) -> Stage:
    """Write the staged tree of the project in `root` into `folder` (see the module). With
    `force`, a folder an earlier stage wrote is replaced; any other folder is refused.
    `progress` is told how many of the cases made afresh are done, as they are."""
    config = read_config(root / CONFIG_FILE)
    check_folder(root, folder, config, force=force)
    files, findings = staged_files(root, config, progress)
    # check_folder let through an empty folder, or an earlier stage with `force`: replaced.
    write_folder_atomic(folder, files, overwrite=folder.is_dir())
    pages = sum(1 for name in files if name.endswith(".md"))
    return Stage(folder, pages, len(files) - pages, tuple(findings))


def check_folder(root: Path, folder: Path, config: Mapping[str, Any], *, force: bool) -> None:
    """Refuse a folder the stage reads from, the project itself, and a folder that holds
    anything but an earlier stage (or anything at all, without `force`)."""
    target, project = folder.resolve(), root.resolve()
    for name in (docs_dir(config), CASES_DIR, SNIPPETS_DIR):
        if target.is_relative_to((project / name).resolve()):
            raise UsageError(
                f"cannot stage into {folder}: it is inside {name}/, which the stage reads "
                "(choose a folder outside docs/, cases/ and snippets/, e.g. stage)"
            )
    if project.is_relative_to(target):
        raise UsageError(
            f"cannot stage into {folder}: it holds the project itself (choose a new folder, "
            "e.g. stage)"
        )
    if target.is_file():
        raise UsageError(f"cannot stage into {folder}: it is a file (give a folder)")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not force:
        raise UsageError(f"{folder} already exists; pass --force to replace it")
    if not is_staged(target / CONFIG_FILE):
        raise UsageError(
            f"cannot replace {folder}: poa stage did not write it (its {CONFIG_FILE} does not "
            "start with the stage's header); choose a new or empty folder"
        )


def staged_files(
    root: Path, config: Mapping[str, Any], progress: Progress | None = None
) -> tuple[dict[str, bytes], list[Finding]]:
    """Every file of the staged tree by its path in it, and the warnings of the project.
    Raises `InputError` with every error that would stop a build, the guide's too."""
    settings = poakit_settings(config)
    shown = include_private(settings.get("include_private"))
    today = parse_today(settings.get("today"), root / CONFIG_FILE) or build_date()
    folder = cache_folder(root, settings)
    project = loader(root).load(cache_folder=folder, prepare=prepare_case, progress=progress)
    problems = published_findings(project, include_private=shown)
    generated = site_pages(project, include_private=shown, today=today)
    files: dict[str, bytes] = {}
    guide_problems: list[Finding] = []
    render = _guide_renderer(root, config, guide_problems)
    docs = root / docs_dir(config)
    for path in _docs_files(docs):
        name = path.relative_to(docs).as_posix()
        data = path.read_bytes()
        files[f"docs/{name}"] = render(f"{docs_dir(config)}/{name}", data) if _page(name) else data
    for page in generated:
        if f"docs/{page.path}" in files:
            raise ConfigError(
                f"{docs_dir(config)}/{page.path}: poakit makes this page; rename or remove the file"
            )
        files[f"docs/{page.path}"] = staged_page(page)
    blocking = [f for f in [*problems, *guide_problems] if f.level is Level.ERROR]
    if blocking:
        raise InputError(blocking)
    staged = staged_config(config, not_in_nav(generated))
    files[CONFIG_FILE] = dump_config(staged)
    return dict(sorted(files.items())), problems


def _page(name: str) -> bool:
    return name.endswith(".md")


def _docs_files(docs: Path) -> Iterator[Path]:
    """The files of docs/ in name order, without hidden ones (MkDocs leaves them out too)."""
    if not docs.is_dir():
        raise ConfigError(f"no {docs.name}/ folder in {docs.parent} (mkdocs.yml: docs_dir)")
    for path in sorted(docs.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(docs).parts)
        if path.is_file() and not hidden and "__pycache__" not in path.parts:
            yield path


def staged_page(page: Page) -> bytes:
    """A generated page as a file of the staged tree: HTML islands opened (no hook will), their
    links written as Markdown links are (`markup.site_link`: Zensical rewrites links in raw
    HTML as it rewrites those), and a page that a build finds through a compact entry made
    searchable as a page."""
    content = page.content
    data = content.read_bytes() if isinstance(content, Path) else content
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not _page(page.path):
        return data
    opened = open_islands(data.decode("utf-8"))
    text = resolve_links(opened, partial(source_link, page.path))
    return (dashboard.indexed(text) if page.entry else text).encode("utf-8")


def not_in_nav(pages: list[Page]) -> list[str]:
    """The `not_in_nav` patterns of the generated pages that the navigation does not list
    (as the hooks mark them), one per folder: a builder then does not report them."""
    patterns = []
    for page in pages:
        if _page(page.path) and not page.in_nav:
            folder = posixpath.dirname(page.path)
            patterns.append(f"/{folder}/*.md" if folder else f"/{page.path}")
    return sorted(set(patterns))


# -- the guide's macros ----------------------------------------------------------------------


def _guide_renderer(
    root: Path, config: Mapping[str, Any], problems: list[Finding]
) -> Callable[[str, bytes], bytes]:
    """A function that renders one page of docs/ as the macros plugin would (pages that do
    not ask for macros come back unchanged), adding what fails to `problems`."""
    options = macros_options(config)
    if options is None:
        return lambda display, data: data
    undefined = _UNDEFINED.get(str(options.get("on_undefined", "keep")), jinja2.DebugUndefined)
    environment = jinja2.Environment(undefined=undefined, keep_trailing_newline=True)
    environment.globals.update(guide.macros(guide.GuideData(root)))
    environment.globals.update(guide.variables(), config=dict(config), extra=config.get("extra"))
    by_default = options.get("render_by_default", True) is not False

    def render(display: str, data: bytes) -> bytes:
        text = data.decode("utf-8")
        try:
            return guide_page(text, environment, render_by_default=by_default).encode("utf-8")
        except _MacroError as exc:
            problems.append(exc.finding(display, text))
            return data

    return render


class _MacroError(Exception):
    """A page's macros cannot be rendered: at `line` of its body (None: unknown)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line

    def finding(self, display: str, text: str) -> Finding:
        match = _FRONT_MATTER.match(text)
        offset = match.group(0).count("\n") if match else 0
        where = Position(display, offset + (self.line or 1), 1)
        fix = "see the macros in src/poakit/site/guide.py"
        return error(where, str(self), MACRO_RULE, fix)


def guide_page(text: str, environment: jinja2.Environment, *, render_by_default: bool) -> str:
    """A page of docs/ with its macros rendered, as mkdocs-macros renders it: the body (what
    follows the front matter), with the front matter's keys as variables; only when the page
    asks (`render_macros: true`), or unless it refuses, by `render_by_default`. The staged
    page keeps its front matter, less `render_macros`, which no longer means anything."""
    match = _FRONT_MATTER.match(text)
    head, body = (match.group(0), text[match.end() :]) if match else ("", text)
    meta = _meta(match.group(1)) if match else {}
    flag = meta.get("render_macros")
    if flag is False or (flag is not True and not render_by_default):
        return text
    try:
        rendered = environment.from_string(body).render(meta)
    except jinja2.TemplateSyntaxError as exc:
        raise _MacroError(f"invalid Jinja: {exc.message}", exc.lineno) from None
    except Exception as exc:  # a macro's own error: the page names it, at the call's line
        raise _MacroError(f"a macro failed: {exc}", _template_line(exc)) from None
    head = _RENDER_FLAG.sub("", head)
    return ("" if head == "---\n---\n" else head) + rendered


def _meta(front: str) -> dict[str, Any]:
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError:
        return {}  # MkDocs reads such a page as having none, and so does the stage
    return meta if isinstance(meta, dict) else {}


def _template_line(exc: BaseException) -> int | None:
    """The line of the page that was rendering when `exc` was raised (Jinja's traceback
    shows template lines under the name "<template>")."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None
