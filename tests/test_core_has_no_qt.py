"""The layers stay apart. The core must stay usable without Qt: no module under encoder_app/
imports PySide6 (or another Qt binding) or ui. The window holds no SQL: no module under ui/
queries a database itself, it calls the core.

Every import is found, at the top or inside a function, a class or an `if TYPE_CHECKING:`
(ast.walk sees them all), and so is importlib.import_module("...") / __import__("...") with a
literal name. The scanner itself is tested on files written to a temporary folder."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "encoder_app"
UI = ROOT / "ui"
QT_OR_UI = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "ui")
SQL = ("sqlalchemy", "sqlite3", "sqlcipher3")
# The window is handed the database as a sqlalchemy Engine and passes it on to the core; ten ui
# modules import that one name for their annotations. Anything else from sqlalchemy (select,
# text, Session, orm, ...) would be SQL written in the window.
UI_MAY_IMPORT = {"sqlalchemy": {"Engine"}}
# `encoder-app` with no command opens the window: encoder_app/cli/main.py imports ui.app with
# importlib when asked to (ui.smoke_test for --smoke-test), and says the window is not
# installed when it is not.
CORE_STARTS_THE_WINDOW = {"cli/main.py": ["ui.app (dynamic)", "ui.smoke_test (dynamic)"]}
DYNAMIC = "(dynamic)"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every absolute import in the file; a module named
    by a literal to import_module/__import__ is marked " (dynamic)" after its root."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and (getattr(node.func, "id", None) == "__import__"
                   or getattr(node.func, "attr", None) == "import_module")):
            found.append((node.args[0].value, [DYNAMIC]))
    return found


def offenders(folder: Path, forbidden: tuple[str, ...],
              allowed: dict[str, set[str]] | None = None) -> dict[str, list[str]]:
    """Each module under `folder` that imports a forbidden top-level package, with what it
    imports; `allowed` lets through `from <package> import <these names>` only."""
    allowed = allowed or {}
    found = {}
    for path in sorted(folder.rglob("*.py")):
        bad = set()
        for module, names in _imports(path):
            root = module.split(".")[0]
            if root not in forbidden:
                continue
            if module == root and names and set(names) <= allowed.get(root, set()):
                continue
            if names == [DYNAMIC]:
                bad.add(f"{module} {DYNAMIC}")
            else:
                bad.update([f"{module}.{n}" for n in names] or [module])
        if bad:
            found[path.relative_to(folder).as_posix()] = sorted(bad)
    return found


def test_no_core_module_imports_qt_or_ui():
    assert len(list(CORE.rglob("*.py"))) > 20, "no core modules found"
    assert offenders(CORE, QT_OR_UI) == CORE_STARTS_THE_WINDOW


def test_no_ui_module_holds_sql():
    assert len(list(UI.rglob("*.py"))) > 10, "no ui modules found"
    assert offenders(UI, SQL, UI_MAY_IMPORT) == {}


# ---- the scanner finds what it must, and only that ----

QT_OR_UI_IMPORTS = {
    "qt_module": "import PySide6.QtCore\n",
    "qt_from": "from PySide6.QtWidgets import QWidget\n",
    "other_binding": "import PyQt6\n",
    "shiboken": "import shiboken6\n",
    "ui_package": "import ui\n",
    "ui_module": "import ui.main_window\n",
    "from_ui_module": "from ui.main_window import MainWindow\n",
    "from_ui": "from ui import app\n",
    "aliased": "import ui.app as gui\n",
    "among_others": "import json, ui.practice.forms\n",
    "lazy_in_function": "def later():\n    from ui.x import y\n    return y\n",
    "lazy_in_method": "class A:\n    def f(self):\n        import PySide6\n",
    "type_checking": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from PySide6.QtCore import QObject\n",
    "try_import": "try:\n    import PyQt5\nexcept ImportError:\n    PyQt5 = None\n",
    "import_module": "import importlib\nmod = importlib.import_module('ui.app')\n",
    "dunder_import": "qt = __import__('PySide6.QtGui')\n",
}


@pytest.mark.parametrize("source", QT_OR_UI_IMPORTS.values(), ids=QT_OR_UI_IMPORTS.keys())
def test_the_scanner_finds_a_core_module_importing_qt_or_ui(tmp_path, source):
    (tmp_path / "encounters").mkdir()
    (tmp_path / "encounters" / "fine.py").write_text("import json\nfrom . import ui\n")
    (tmp_path / "encounters" / "bad.py").write_text(source)
    assert list(offenders(tmp_path, QT_OR_UI)) == ["encounters/bad.py"]


SQL_IMPORTS = {
    "package": "import sqlalchemy\n",
    "select": "from sqlalchemy import select\n",
    "engine_and_text": "from sqlalchemy import Engine, text\n",
    "orm": "from sqlalchemy.orm import Session\n",
    "engine_from_a_submodule": "from sqlalchemy.engine import Engine\n",
    "lazy": "def load(engine):\n    from sqlalchemy import text\n    return text\n",
    "sqlite3": "import sqlite3\n",
    "sqlcipher3": "from sqlcipher3 import dbapi2\n",
}


@pytest.mark.parametrize("source", SQL_IMPORTS.values(), ids=SQL_IMPORTS.keys())
def test_the_scanner_finds_a_ui_module_holding_sql(tmp_path, source):
    (tmp_path / "fine.py").write_text("from sqlalchemy import Engine\nimport sqlalchemy_like\n")
    (tmp_path / "bad.py").write_text(source)
    assert list(offenders(tmp_path, SQL, UI_MAY_IMPORT)) == ["bad.py"]


def test_the_scanner_lets_look_alike_names_through(tmp_path):
    (tmp_path / "a.py").write_text(
        "import uikit\nimport user.ui\nfrom uis import x\nfrom .ui import app\n"
        "from encoder_app.ui_text import label\nimport PySide6_helpers\n"
        "from ..sqlalchemy import select\nengine.execute('import ui')\n")
    assert offenders(tmp_path, QT_OR_UI + SQL) == {}
