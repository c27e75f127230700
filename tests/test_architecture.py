"""The core's floors: every module imports only modules on its own floor or below, never one above, and
the three families (drafting, review, workspace) do not reach into each other except as stated here.

Floors, from the bottom (``dpakit/__init__.py`` documents the spine they follow):

0. shared utilities: errors, content, conditions, models, safezip, docx_render
1. content and answers: answers_file, examples, jurisdictions, authorities, vendors, requirements,
   facts (answer stage: question visibility tests it), questionnaire
2. analysis: regimes, transfers, analysis (joins the facts of every stage)
3. risk and plan: explain, risk, actions, deadlines
4. the document families: drafting.*, review.* (siblings: neither imports the other)
5. the workspace: workspace.* (may use everything below: it stores drafts and reviews)
6. entry points: checks, cli, __main__, the package itself

Imports inside functions (kept lazy for start-up time) count the same as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dpakit"

FLOORS: list[set[str]] = [
    {"errors", "content", "conditions", "models", "safezip", "docx_render"},
    {"answers_file", "examples", "jurisdictions", "authorities", "vendors", "requirements", "facts", "questionnaire"},
    {"regimes", "transfers", "analysis"},
    {"explain", "risk", "actions", "deadlines"},
    {"drafting", "review"},
    {"workspace"},
    {"checks", "cli", "__main__", "__init__"},
]


def modules() -> dict[str, Path]:
    """Dotted name below dpakit (``review.reading``) → file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """The dpakit modules ``name`` imports (dotted below dpakit), wherever in the file the import is."""
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    if name == "__init__":
        package = []
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and (node.module == "dpakit" or node.module.startswith("dpakit.")):
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                out.add(".".join(target))
            else:  # ``from . import x`` / ``from dpakit import x``: x may be a module
                out.update(
                    a.name for a in node.names if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                )
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".", 1)[1] for a in node.names if a.name.startswith("dpakit."))
    out.discard(name)
    return out


def floor_of(name: str) -> int:
    top = name.split(".")[0]
    for number, members in enumerate(FLOORS):
        if top in members:
            return number
    raise AssertionError(f"dpakit.{name} is on no floor: add it to FLOORS in {Path(__file__).name}")


def test_every_module_is_on_a_floor():
    for name in modules():
        floor_of(name)


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_imports_a_module_on_a_higher_floor(name):
    path = modules()[name]
    upward = sorted(t for t in imports_of(name, path) if floor_of(t) > floor_of(name))
    assert upward == [], f"dpakit.{name} (floor {floor_of(name)}) imports {upward}"


def test_the_two_document_families_do_not_import_each_other():
    for name, path in modules().items():
        family = name.split(".")[0]
        if family in ("drafting", "review"):
            other = {"drafting": "review", "review": "drafting"}[family]
            assert not [t for t in imports_of(name, path) if t.split(".")[0] == other], name


def test_modules_on_one_floor_import_each_other_without_a_cycle():
    graph = {
        name: {t for t in imports_of(name, path) if floor_of(t) == floor_of(name)} for name, path in modules().items()
    }
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1  # on the current path
        for nxt in sorted(graph.get(node, set())):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join([*trail[trail.index(nxt) :], nxt]))
            if nxt in graph and state.get(nxt) is None:
                visit(nxt, [*trail, nxt])
        state[node] = 2  # done

    for name in sorted(graph):
        if state.get(name) is None:
            visit(name, [name])


def test_the_checker_sees_a_lazy_upward_import(tmp_path):
    # The checks must be able to fail: an import inside a function counts, relative or absolute.
    source = tmp_path / "facts.py"
    source.write_text("def f():\n    from .workspace.store import Store\n    from dpakit.risk import score\n")
    assert imports_of("facts", source) == {"workspace.store", "risk"}
    assert floor_of("workspace.store") > floor_of("facts") and floor_of("risk") > floor_of("facts")
