"""No import cycle among encoder_app's modules: each module can be imported on its own, and a
layer never has to reach back into the one that uses it.

The graph is read from the source (ast), not by importing: an edge A -> B for every import
A runs when it is first imported, that is every import at module level (in ``if``/``try``
blocks and class bodies too), but not one inside a function (run later, on call) or under
``if TYPE_CHECKING:`` (never run). Importing ``a.b.c`` runs ``a/__init__.py`` and
``a/b/__init__.py`` as well, so those are edges too, except from a module inside them: a
package's own modules run while it is imported (``importers/__init__.py`` re-exporting
``importers.runner`` is no cycle), unless one takes a name from the package's ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "encoder_app"


def _modules() -> dict[str, Path]:
    """Every module of encoder_app by dotted name (a package by its own name)."""
    found = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_time_nodes(body: list[ast.stmt], late: bool = False):
    """The import statements run when the module is imported (``late``: and those run later,
    inside its functions)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if late:
                yield from _import_time_nodes(node.body, late)
            continue
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_time_nodes(node.body, late)
            yield from _import_time_nodes(node.orelse, late)
        elif isinstance(node, ast.ClassDef):
            yield from _import_time_nodes(node.body, late)
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    for child in block:
                        if isinstance(child, ast.ExceptHandler):
                            yield from _import_time_nodes(child.body, late)
                        elif isinstance(child, ast.stmt):
                            yield from _import_time_nodes([child], late)


def _with_parents(name: str, modules: dict[str, Path], importer: str) -> set[str]:
    """The module and the packages above it, which importing it runs, but not the packages
    above the importer: those are already run (or running) when the importer runs."""
    parts = name.split(".")
    own = importer.split(".")
    above_importer = {".".join(own[:i]) for i in range(1, len(own))}
    chain = {".".join(parts[:i]) for i in range(1, len(parts))} - above_importer
    return (chain | {name}) & modules.keys()


def _imports(name: str, path: Path, modules: dict[str, Path], late: bool) -> set[str]:
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in _import_time_nodes(ast.parse(path.read_text(encoding="utf-8")).body, late):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets |= _with_parents(alias.name, modules, name)
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[:len(base) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        submodules = {f"{module}.{alias.name}" for alias in node.names} & modules.keys()
        for submodule in submodules:  # from package import submodule
            targets |= _with_parents(submodule, modules, name)
        if len(submodules) < len(node.names):  # a name defined in the module itself
            targets |= _with_parents(module, modules, name) | ({module} & modules.keys())
    targets.discard(name)
    return targets


def import_graph(late: bool = False) -> dict[str, set[str]]:
    """Module -> the encoder_app modules it imports when imported (``late``: or later, in a
    function: an import moved into a function to dodge a cycle is still a tangle)."""
    modules = _modules()
    return {name: _imports(name, path, modules, late) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_graph_is_read():
    graph = import_graph()
    assert "encoder_app.codes" in graph["encoder_app.edits.codes"]
    assert "encoder_app.practice.sample_file" in graph["encoder_app.practice.fee_schedule"]
    # a package's own modules are not edges back to it (importers/__init__ re-exports runner)
    assert "encoder_app.importers.runner" in graph["encoder_app.importers"]
    assert "encoder_app.importers" not in graph["encoder_app.importers.runner"]
    # imports inside functions count only when asked
    assert "encoder_app.encryption" not in graph["encoder_app.cli.main"]
    assert "encoder_app.encryption" in import_graph(late=True)["encoder_app.cli.main"]


def test_no_import_cycle_among_encoder_app_modules():
    assert cycles(import_graph()) == []


def test_no_cycle_hidden_in_an_import_inside_a_function():
    """An import moved into a function stops the crash, not the tangle: practice.py read the
    sample for fee_schedule.py and pick_lists.py and imported both back inside
    load_sample_practice; the practice package is now layered instead."""
    assert cycles(import_graph(late=True)) == []


def test_a_cycle_would_be_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
