"""The public API (httpx's exported-members test): ``__all__`` is sorted and complete, every name is the
documented object — the same object as in its home module, never a module — and no exported name is
also a submodule name, whatever has been imported before."""

import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import dpakit

ROOT = Path(__file__).resolve().parents[1]


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
