"""The import contract of docs/architecture.md: imports only point down the layers, and no two
modules import each other, however indirectly.

    cli -> api -> commands -> site -> plan | emit -> sources -> base

``plan`` and ``emit`` are independent: neither imports the other (a Plan is emitted without the
solver that made it, and the solver never formats).  Every import counts, wherever it is
written: at the top of a module, inside a function (a lazy import is allowed, but it must point
down too, so a cycle cannot hide in one) or under ``if TYPE_CHECKING:``.  A module that belongs
to no layer fails the test: a new module is placed in a layer on purpose.

The checker reads the source with ``ast`` (no import-linter dependency, and a cycle inside a
layer is caught too); the tests at the end feed it an upward import and a cycle, so it is shown
to fail on the very things it guards against.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compiler"

# Top to bottom.  A layer is a rank and the module prefixes in it; layers of the same rank are
# independent siblings (they may not import each other).
LAYERS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (7, "main", ("compiler.__main__",)),
    (6, "cli", ("compiler.cli",)),
    (5, "api", ("compiler.api",)),
    (4, "commands", ("compiler.commands",)),
    (3, "site", ("compiler.site",)),
    (2, "plan", ("compiler.plan",)),
    (2, "emit", ("compiler.emit",)),
    (1, "sources", ("compiler.sources",)),
    (
        0,
        "base",
        (
            "compiler.model",
            "compiler.vocabulary",
            "compiler.frozen",
            "compiler.codes",
            "compiler.diagnostics",
            "compiler.units",
            "compiler.resources",
            "compiler.report",
            "compiler.sandbox",
        ),
    ),
)
ROOT_MODULE = "compiler"  # __version__, DOCS_URL, doc_link: below everything, imports nothing

Graph = Mapping[str, frozenset[str]]


def module_names(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> frozenset[str]:
    """The package's modules that module ``name`` imports, anywhere in it.  ``from X import y``
    imports module ``X.y`` when there is one, else ``X``."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in known else target)
    return frozenset(m for m in found if m in known and m != name)


def import_graph(package: Path = PACKAGE) -> dict[str, frozenset[str]]:
    modules = module_names(package)
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def layer_of(module: str) -> tuple[int, str] | None:
    if module == ROOT_MODULE:
        return (-1, "root")
    for rank, layer, prefixes in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank, layer
    return None


def layer_problems(graph: Graph) -> list[str]:
    """Every module in no layer, and every import that does not point down (or stay inside its
    own layer), as ``importer -> imported (layer -> layer)``."""
    problems: list[str] = []
    for module in sorted(graph):
        source = layer_of(module)
        if source is None:
            problems.append(f"{module} is in no layer: add it to LAYERS (tests/test_layers.py)")
            continue
        for target in sorted(graph[module]):
            dest = layer_of(target)
            if dest is None or dest[1] == source[1] or dest[0] < source[0]:
                continue
            problems.append(f"{module} -> {target} ({source[1]} -> {dest[1]})")
    return problems


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the package's size
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# --- the contract, on the real package ---------------------------------------------------------


def test_every_import_points_down_the_layers() -> None:
    assert layer_problems(import_graph()) == []


def test_no_modules_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_the_graph_sees_the_imports_that_matter() -> None:
    """The checker reads the package as it is: top-level, relative, function-local and
    ``TYPE_CHECKING`` imports are all edges (so a lazy import cannot hide a cycle)."""
    graph = import_graph()
    assert "compiler.plan.periodize" in graph["compiler.plan.schedule"]  # relative, top level
    assert "compiler.api" in graph["compiler.cli.plan_commands"]  # in a function: lazily
    assert "compiler.site.build" in graph["compiler.commands.serve"]  # TYPE_CHECKING and lazy
    assert "compiler.plan.paces" in graph["compiler.plan.periodize"]  # from . import paces
    assert all(layer_of(m) is not None for m in graph)


# --- the checker fails on what it guards against -----------------------------------------------


def _graph(edges: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> Graph:
    nodes: dict[str, set[str]] = {m: set() for edge in edges for m in edge}
    nodes.update({m: set() for m in extra})
    for source, target in edges:
        nodes[source].add(target)
    return {m: frozenset(t) for m, t in nodes.items()}


@pytest.mark.parametrize(
    ("edge", "expected"),
    [
        (("compiler.sources.load", "compiler.plan.paces"), "(sources -> plan)"),
        (("compiler.plan.expand", "compiler.emit.text"), "(plan -> emit)"),  # siblings
        (("compiler.emit.html", "compiler.plan.paces"), "(emit -> plan)"),
        (("compiler.site.batch", "compiler.api"), "(site -> api)"),
        (("compiler.model", "compiler.sources.load"), "(base -> sources)"),
    ],
)
def test_an_upward_or_sideways_import_is_reported(edge: tuple[str, str], expected: str) -> None:
    assert layer_problems(_graph([edge])) == [f"{edge[0]} -> {edge[1]} {expected}"]


def test_downward_and_same_layer_imports_are_allowed() -> None:
    graph = _graph(
        [
            ("compiler.cli", "compiler.api"),
            ("compiler.site.batch", "compiler.plan.pipeline"),
            ("compiler.site.batch", "compiler.emit.outputs"),
            ("compiler.plan.schedule", "compiler.plan.periodize"),
            ("compiler.sources.load", "compiler"),
        ]
    )
    assert layer_problems(graph) == []


def test_a_module_in_no_layer_is_reported() -> None:
    assert layer_problems(_graph([], ["compiler.helpers"])) == [
        "compiler.helpers is in no layer: add it to LAYERS (tests/test_layers.py)"
    ]


def test_a_cycle_is_reported_even_inside_one_layer() -> None:
    graph = _graph(
        [
            ("compiler.plan.a", "compiler.plan.b"),
            ("compiler.plan.b", "compiler.plan.c"),
            ("compiler.plan.c", "compiler.plan.a"),
            ("compiler.plan.c", "compiler.model"),
        ]
    )
    assert cycles(graph) == [["compiler.plan.a", "compiler.plan.b", "compiler.plan.c"]]


def test_a_cycle_hidden_in_a_function_is_an_edge(tmp_path: Path) -> None:
    """The api <-> batch cycle this layout removed, written as it was: batch imported api
    inside a function.  The checker finds it, and the upward import with it."""
    package = tmp_path / "compiler"
    (package / "site").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "api.py").write_text("from .site.batch import build_athletes\n")
    (package / "site" / "__init__.py").write_text("")
    (package / "site" / "batch.py").write_text(
        "def build_athletes() -> None:\n    from ..api import compile_plan\n"
    )
    graph = import_graph(package)
    assert cycles(graph) == [["compiler.api", "compiler.site.batch"]]
    assert layer_problems(graph) == ["compiler.site.batch -> compiler.api (site -> api)"]
