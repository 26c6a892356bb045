"""Links between the README and the docs pages lead somewhere: every relative link (and image) names an
existing file, every `#anchor` a heading of its page, and every repository path quoted in backquotes
(`marketplace/...`, `tests/...`) still exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:...
TOP_LEVEL = ("marketplace", "workers", "ui", "schemas", "events", "tests", "scripts", "docs")
REPO_PATH = re.compile(rf"^(?:{'|'.join(TOP_LEVEL)})/[A-Za-z0-9_./-]*$")


def _prose(page: Path) -> str:
    """The page without its fenced code blocks (shell sessions and trees are not links)."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(m[1]) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", _prose(page), re.MULTILINE)}


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    broken = []
    for target in LINK.findall(CODE_SPAN.sub("", _prose(page))):
        if EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists() or ROOT not in (dest, *dest.parents):
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{_name(page)}: links that lead nowhere: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_quoted_repository_path_exists(page: Path) -> None:
    missing = []
    for span in CODE_SPAN.findall(_prose(page)):
        path = span.strip("`").split("::")[0]
        if REPO_PATH.match(path) and not (ROOT / path).exists():
            missing.append(path)
    assert not missing, f"{_name(page)}: paths that no longer exist: {missing}"
