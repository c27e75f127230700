"""Every download button is produced on click without a rerun (``on_click="ignore"``).

A download button that reruns the page on click races its own deferred file: the rerun clears the file
registered by the previous run, and under load the browser's request for it comes second ("Deferred file …
not found" in the server log, and no download; seen on the review page in CI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.joinpath("views").glob("*.py"), *ROOT.joinpath("ui").glob("*.py"), ROOT / "app.py"])


def download_buttons(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "download_button"
    ]


def ignores_clicks(call: ast.Call) -> bool:
    return any(
        k.arg == "on_click" and isinstance(k.value, ast.Constant) and k.value.value == "ignore" for k in call.keywords
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_download_button_ignores_its_click(path: Path):
    rerunning = [call.lineno for call in download_buttons(path.read_text(encoding="utf-8")) if not ignores_clicks(call)]
    assert rerunning == [], f"{path.name}: download_button without on_click='ignore' at lines {rerunning}"


def test_the_pages_have_download_buttons_and_the_check_sees_a_rerunning_one():
    assert sum(len(download_buttons(p.read_text(encoding="utf-8"))) for p in SOURCES) >= 12
    (call,) = download_buttons('st.download_button("x", data=b"", key="k")')
    assert not ignores_clicks(call)
