"""The public API (httpx's exported-members test): ``__all__`` is sorted and complete, every name is the
documented object — the same object as in its home module, never a module — and no exported name is
also a submodule name, whatever has been imported before. The pages, the UI helpers and the command line
use nothing else: they import from ``dpakit``, never from one of its modules."""

import ast
import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import REPO_ROOT as ROOT

import dpakit

# The top floor: everything here uses the core through ``dpakit`` alone.
CLIENTS = sorted([*ROOT.glob("ui/*.py"), *ROOT.glob("views/*.py"), ROOT / "app.py", ROOT / "dpakit" / "cli.py"])


def _submodule_names() -> set[str]:
    """Every module and package of dpakit, dotted below it (``models``, ``review``, ``review.reading``)."""
    return {m.name.removeprefix("dpakit.") for m in pkgutil.walk_packages(dpakit.__path__, "dpakit.")}


def _top_level_names() -> set[str]:
    """What ``dpakit.<name>`` can be as a module: the modules and subpackages directly in dpakit."""
    return {m.name for m in pkgutil.iter_modules(dpakit.__path__)}


def test_all_is_sorted_and_unique():
    assert dpakit.__all__ == sorted(set(dpakit.__all__))


def test_all_lists_exactly_the_exports():
    assert set(dpakit.__all__) == {*dpakit._EXPORTS, "__version__"}


def test_every_exported_name_is_the_object_from_its_home_module_and_never_a_module():
    for name, target in dpakit._EXPORTS.items():
        module, attribute = target if isinstance(target, tuple) else (target, name)
        home = importlib.import_module(f"dpakit.{module}")
        assert module in _submodule_names(), f"{name}: no submodule dpakit.{module}"
        value = getattr(dpakit, name)
        assert value is getattr(home, attribute), f"dpakit.{name} is not dpakit.{module}.{attribute}"
        assert not isinstance(value, types.ModuleType), f"dpakit.{name} is a module"


def test_every_exported_function_and_class_has_its_own_docstring():
    # httpx's rule: the public API is documented where it is defined; a class does not borrow its base's.
    import inspect

    bare = []
    for name in dpakit.__all__:
        value = getattr(dpakit, name)
        if inspect.isclass(value):
            doc = value.__dict__.get("__doc__")
        elif inspect.isfunction(value):
            doc = value.__doc__
        else:
            continue
        if not (doc or "").strip():
            bare.append(name)
    assert bare == []


def test_no_exported_name_is_also_a_submodule_name():
    assert not set(dpakit.__all__) & _top_level_names()
    assert {"drafting", "review", "workspace"} <= _top_level_names()  # the three families are subpackages


def test_exports_resolve_to_functions_even_after_every_submodule_was_imported():
    """The old fault: ``import dpakit.redline`` then ``from dpakit import redline`` gave the module (the
    function is now ``redline_docx``; the module ``dpakit.workspace.redline``)."""
    code = (
        "import importlib, pkgutil, types, dpakit\n"
        "for m in pkgutil.walk_packages(dpakit.__path__, 'dpakit.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "bad = [n for n in dpakit.__all__ if isinstance(getattr(dpakit, n), types.ModuleType)]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_documented_example_runs():
    report = dpakit.score(dpakit.analyse(dpakit.load_example("fynbos")))
    assert report.findings


def test_unknown_names_raise_attribute_error():
    try:
        dpakit.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_type_checkers_see_exactly_the_exports_from_the_same_homes():
    """The ``if TYPE_CHECKING:`` imports in ``dpakit/__init__.py`` (what mypy and editors read) name the same
    objects as ``_EXPORTS`` (what ``__getattr__`` loads at run time)."""
    tree = ast.parse((ROOT / "dpakit" / "__init__.py").read_text(encoding="utf-8"))
    [block] = [n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", None) == "TYPE_CHECKING"]
    seen = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1, ast.unparse(node)
        for alias in node.names:
            seen[alias.asname or alias.name] = (node.module, alias.name)
    expected = {
        name: target if isinstance(target, tuple) else (target, name) for name, target in dpakit._EXPORTS.items()
    }
    assert seen == expected


def test_importing_dpakit_imports_none_of_its_modules():
    """``import dpakit`` stays cheap (the command line starts fast): names load on first use."""
    code = "import sys, dpakit\nprint(sorted(m for m in sys.modules if m.startswith('dpakit.')))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def private_uses(source: str) -> list[str]:
    """Every place ``source`` reaches past the public API: ``from dpakit.x import``, ``import dpakit.x``, a
    relative import, a name ``dpakit`` does not export, or ``dpakit.<attribute>`` that is not an export."""
    found = []
    public = set(dpakit.__all__)
    for node in ast.walk(ast.parse(source)):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.append(f"{where}: relative import from {'.' * node.level}{node.module or ''}")
            elif node.module and node.module.startswith("dpakit."):
                found.append(f"{where}: from {node.module} import …")
            elif node.module == "dpakit":
                found.extend(f"{where}: dpakit does not export {a.name}" for a in node.names if a.name not in public)
        elif isinstance(node, ast.Import):
            found.extend(f"{where}: import {a.name}" for a in node.names if a.name.startswith("dpakit."))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "dpakit":
            if node.attr not in public:
                found.append(f"{where}: dpakit.{node.attr} is not exported")
    return found


@pytest.mark.parametrize("path", CLIENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_ui_helpers_and_the_command_line_import_only_from_dpakit(path: Path):
    problems = private_uses(path.read_text(encoding="utf-8"))
    assert not problems, problems


def test_the_clients_checked_include_every_page_and_helper():
    names = {str(p.relative_to(ROOT)) for p in CLIENTS}
    assert {"app.py", "dpakit/cli.py", "ui/state.py", "ui/widgets.py", "views/start.py", "views/documents.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "from dpakit.workspace.store import Store",
        "import dpakit.questionnaire",
        "def f():\n    from dpakit.analysis import analyse\n",
        "from .errors import DpakitError",
        "from dpakit import no_such_export",
        "import dpakit\ndpakit.workspace.Store",
    ],
)
def test_the_import_check_catches_every_way_past_the_public_api(source: str):
    assert private_uses(source)


def test_the_import_check_lets_the_public_api_through():
    assert not private_uses("import dpakit\nfrom dpakit import Store, analyse\ndpakit.score(dpakit.analyse(x))\n")
