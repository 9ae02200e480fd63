"""The core must stay usable without Qt: no module under encoder_app/ imports PySide6 or ui."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "encoder_app"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_qt_or_ui():
    offenders = {
        str(path.relative_to(CORE)): sorted(_imported_roots(path) & set(FORBIDDEN))
        for path in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert list(CORE.rglob("*.py")), "no core modules found"
    assert offenders == {}
