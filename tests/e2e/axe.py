"""axe-core (bundled by axe-playwright-python, from PyPI) run inside the page, WCAG 2.1 A and AA rules only."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import axe_playwright_python
from playwright.sync_api import Page

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def violations(page: Page, within: str | None = None) -> list[dict[str, Any]]:
    """The WCAG 2.1 AA violations on the page as it is now (axe's own result objects), in the elements the CSS
    selector `within` matches when given."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "([within, opts]) => axe.run(within ?? document, opts)",
        [within, {"runOnly": {"type": "tag", "values": WCAG21_AA}, "resultTypes": ["violations"]}],
    )
    return list(result["violations"])


def describe(path: str, found: list[dict[str, Any]]) -> list[str]:
    """One line per violated rule and page: the rule, its impact and the first offending nodes."""
    lines = []
    for v in found:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{path}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes) {v['help']} -> {targets}")
    return lines
