"""The code keeps its shape: the layer contracts of pyproject.toml hold, and no module imports itself back.

import-linter checks the contracts between packages; the cycle check below looks at every module, lazy
(function-level) imports included, since a cycle hidden in a function is still a cycle a reader must untangle.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("schemas", "events", "marketplace", "workers", "ui")


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


class TestImportRules:
    def test_no_module_imports_itself_back(self) -> None:
        graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
        assert import_cycles(graph) == []

    def test_the_cycle_check_finds_a_cycle(self) -> None:
        graph = grimp.ImportGraph()
        for module in ("a", "a.one", "a.two", "a.three"):
            graph.add_module(module)
        graph.add_import(importer="a.one", imported="a.two")
        graph.add_import(importer="a.two", imported="a.one")
        graph.add_import(importer="a.three", imported="a.one")
        assert import_cycles(graph) == [["a.one", "a.two"]]

    def test_the_layer_contracts_hold(self) -> None:
        lint_imports = Path(sys.executable).with_name("lint-imports")
        run = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
