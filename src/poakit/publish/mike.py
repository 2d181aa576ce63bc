"""Publish the site as a new version on the local gh-pages branch, with mike.

`make publish VERSION=x.y [PUSH=1]` runs `python -m poakit.publish VERSION [--push]`, which:

    mike deploy --update-aliases --alias-type redirect VERSION latest
    mike set-default latest
    git push origin gh-pages                  (only with --push)

Redirect aliases are small HTML pages, so `latest/` and the site root work on any static host
(symlinks do not survive every host; copies double the size). Before running mike the driver
checks what would otherwise surface as a bare git failure or a half-made commit: the folder is
a git repository with a commit, a git identity exists, the version looks like one, the build
was not told to include private cases, and the site's address (POAKIT_SITE_URL) is set.

This module never imports mkdocs: mike runs `mkdocs` from PATH, so the driver puts its own
interpreter's bin folder first on PATH. It sets POAKIT_VERSION_PROVIDER=mike, which turns on
Material's version selector (mkdocs.yml); plain builds leave it off, because the selector
fetches versions.json, which only a mike deployment has.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import ConfigError, PoakitError, UsageError
from ..project.settings import INCLUDE_PRIVATE, SITE_URL, include_private, site_url

PROG = "poa publish"
BRANCH, REMOTE, ALIAS = "gh-pages", "origin", "latest"
VERSION_PATTERN = re.compile(r"\d+\.\d+(?:\.\d+)?(?:(?:a|b|rc)\d+)?")


class PublishError(PoakitError):
    """mike or git failed while publishing; the message holds their output."""

    exit_code = 1


@dataclass(frozen=True)
class Published:
    version: str
    pushed: bool


def suggested_version(project_version: str = __version__) -> str:
    """The VERSION to publish for this release: MAJOR.MINOR of the project's version."""
    match = re.match(r"(\d+)\.(\d+)", project_version)
    return f"{match[1]}.{match[2]}" if match else "0.1"


def check_version(version: str) -> str:
    hint = f"run `make publish VERSION={suggested_version()}` (the project is {__version__})"
    if not version.strip():
        raise UsageError(f"no VERSION given: {hint}")
    if not VERSION_PATTERN.fullmatch(version):
        raise UsageError(
            f"bad version '{version}': expected MAJOR.MINOR or MAJOR.MINOR.PATCH "
            f"(optionally with a1, b1 or rc1), such as '{suggested_version()}'; {hint}"
        )
    return version


def publish(
    root: Path, version: str, *, push: bool = False, env: Mapping[str, str] | None = None
) -> Published:
    """Deploy `version` of the site in `root` to gh-pages, move `latest`, set the default."""
    check_version(version)
    given = env if env is not None else os.environ
    check_no_private(given)
    check_site_url(given)
    environ = mike_environment(given)
    check_repository(root, environ)
    if push:
        fetch_published(root, environ)
    run_mike(
        root, environ, "deploy", "--update-aliases", "--alias-type", "redirect", version, ALIAS
    )
    run_mike(root, environ, "set-default", ALIAS)
    if push:
        run_git(root, environ, "push", "--", REMOTE, BRANCH, what=f"push {BRANCH} to {REMOTE}")
    return Published(version, push)


def mike_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The environment mike and mkdocs run in: this venv first on PATH, the selector on."""
    bin_dir = str(Path(sys.executable).parent)
    path = env.get("PATH", "")
    return {
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{path}" if path else bin_dir,
        "POAKIT_VERSION_PROVIDER": "mike",
        INCLUDE_PRIVATE: "false",  # checked by check_no_private; never left to chance
        "NO_MKDOCS_2_WARNING": env.get("NO_MKDOCS_2_WARNING", "true"),
    }


def check_repository(root: Path, env: Mapping[str, str]) -> None:
    if not (root / "mkdocs.yml").is_file():
        raise ConfigError(f"no mkdocs.yml in {root}: run this in a poakit checkout, or pass --root")
    if git(root, env, "rev-parse", "--show-toplevel").returncode != 0:
        raise ConfigError(
            f"not a git repository: {root} (mike commits the site to its {BRANCH} branch; "
            "run `git init`, then commit the sources)"
        )
    if git(root, env, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise ConfigError(
            f"the git repository in {root} has no commit yet (mike names the source commit in "
            "each deploy): commit the sources first, e.g. `git add -A && git commit -m Sources`"
        )
    check_identity(root, env)


def check_no_private(env: Mapping[str, str]) -> None:
    """A published site never holds private cases, whatever the environment says. The switch
    is read by the same parser as the build's (`settings.include_private`): a value the build
    would not read as "no" stops the publish."""
    if include_private(env.get(INCLUDE_PRIVATE)):
        raise ConfigError(
            f"{INCLUDE_PRIVATE} is set to {env.get(INCLUDE_PRIVATE)!r}: a published site never "
            f"includes private cases; unset it (`unset {INCLUDE_PRIVATE}`) and publish again"
        )


def check_site_url(env: Mapping[str, str]) -> str:
    """The address the site will be served at: without it, every canonical link and the
    sitemap would name the local preview's. Read by the build's parser (`settings.site_url`)."""
    url = site_url(env.get(SITE_URL))
    if url is None:
        raise ConfigError(
            f"{SITE_URL} is not set: a published site needs the address it is served at, for "
            "its canonical links and sitemap; set it, e.g. "
            f"`make publish VERSION={suggested_version()} "
            f"{SITE_URL}=https://your-team.github.io/poakit/`"
        )
    return url


def check_identity(root: Path, env: Mapping[str, str]) -> None:
    """mike commits as GIT_COMMITTER_NAME/EMAIL, else as git's user.name/user.email."""
    for key, variable, example in (
        ("user.name", "GIT_COMMITTER_NAME", '"Your Name"'),
        ("user.email", "GIT_COMMITTER_EMAIL", "you@example.com"),
    ):
        if env.get(variable) or git(root, env, "config", key).stdout.strip():
            continue
        raise ConfigError(
            f"no git identity for the {BRANCH} commit: {key} is not set; set it with "
            f"`git config {key} {example}` (add --global for every repository), "
            f"or set {variable} in the environment"
        )


def fetch_published(root: Path, env: Mapping[str, str]) -> None:
    """Bring origin's gh-pages in first, so a push adds to it instead of being refused."""
    if git(root, env, "remote", "get-url", REMOTE).returncode != 0:
        raise ConfigError(
            f"no remote '{REMOTE}' to push to: add it with `git remote add {REMOTE} URL`, "
            "or publish without --push (PUSH=1)"
        )
    found = run_git(
        root, env, "ls-remote", "--heads", REMOTE, BRANCH, what=f"reach the remote '{REMOTE}'"
    )
    if found.strip():
        refspec = f"+refs/heads/{BRANCH}:refs/remotes/{REMOTE}/{BRANCH}"
        run_git(root, env, "fetch", "--quiet", REMOTE, refspec, what=f"fetch {BRANCH}")


def git(root: Path, env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, env=dict(env), capture_output=True, text=True, check=False
    )


def run_git(root: Path, env: Mapping[str, str], *args: str, what: str) -> str:
    result = git(root, env, *args)
    if result.returncode != 0:
        raise PublishError(f"could not {what}: `git {' '.join(args)}` said:\n{_indent(result)}")
    return result.stdout


def run_mike(root: Path, env: Mapping[str, str], *args: str) -> None:
    command = [_mike(env), *args]
    # One stream, so mkdocs' warnings and mike's verdict keep their order in the report.
    result = subprocess.run(
        command,
        cwd=root,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise PublishError(
            f"`mike {' '.join(args)}` failed (exit {result.returncode}); nothing was published "
            f"by this step. Its output:\n{_indent(result)}"
        )


def _mike(env: Mapping[str, str]) -> str:
    for folder in env["PATH"].split(os.pathsep):
        candidate = Path(folder) / "mike"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ConfigError(
        "mike is not installed in this environment: run `make publish` (it installs the "
        "dependencies) or `pip install -e .`"
    )


def _indent(result: subprocess.CompletedProcess[str]) -> str:
    output = (result.stdout + (result.stderr or "")).strip() or "(no output)"
    return textwrap.indent(output, "    ")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"Publish the site as version VERSION on the local {BRANCH} branch with "
        f"mike, point '{ALIAS}' at it (a redirect) and make '{ALIAS}' the default.",
    )
    parser.add_argument(
        "version",
        nargs="?",
        default="",
        metavar="VERSION",
        help=f"MAJOR.MINOR, such as {suggested_version()} (the project is {__version__})",
    )
    parser.add_argument("--push", action="store_true", help=f"then push {BRANCH} to {REMOTE}")
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the project folder (default: here)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        done = publish(args.root, args.version, push=args.push)
    except PoakitError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    print(_report(done))
    return 0


def _report(done: Published) -> str:
    lines = [f"published {done.version} to {BRANCH}; '{ALIAS}' and the site root lead to it"]
    if done.pushed:
        lines.append(f"pushed {BRANCH} to {REMOTE}")
    else:
        lines.append(f"to put it online: git push {REMOTE} {BRANCH} (or add PUSH=1)")
    if suggested_version(done.version) != suggested_version():
        project = f"'snippet library {__version__}' (pyproject.toml)"
        lines.append(f"note: pages of {done.version} say {project}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
