"""Issue 5, acceptance 3: DPAs written independently, in other words and another style than the clause
library, are reviewed with no term reported missing that is actually present.

The documents and a hand-labelled truth table live in ``tests/fixtures/review/``. The figures (precision
and recall of "present", where present = found or weak; and of "missing") are printed with ``-s``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dpakit.review.reading import read_path
from dpakit.review.report import review_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "review"
TRUTH = tomllib.loads((FIXTURES / "truth.toml").read_text(encoding="utf-8"))


def _review(name: str):
    case = TRUTH[name]
    return review_document(read_path(FIXTURES / case["file"]), case["regimes"], case["role"])


def scores(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """(truth, reported) pairs → precision/recall of 'present' (found or weak) and of 'missing'."""

    def pr(positive: set[str]) -> tuple[float, float]:
        tp = sum(1 for t, r in pairs if t in positive and r in positive)
        reported = sum(1 for _, r in pairs if r in positive)
        actual = sum(1 for t, _ in pairs if t in positive)
        return (tp / reported if reported else 1.0, tp / actual if actual else 1.0)

    p_present, r_present = pr({"found", "weak"})
    p_missing, r_missing = pr({"missing"})
    exact = sum(1 for t, r in pairs if t == r) / len(pairs)
    return {
        "precision_present": p_present,
        "recall_present": r_present,
        "precision_missing": p_missing,
        "recall_missing": r_missing,
        "exact_status": exact,
        "terms": len(pairs),
    }


@pytest.mark.parametrize("name", list(TRUTH))
def test_the_truth_table_labels_exactly_the_terms_the_review_checks(name):
    report = _review(name)
    assert sorted(r.id for r in report.results) == sorted(TRUTH[name]["labels"])


@pytest.mark.parametrize("name", list(TRUTH))
def test_no_term_that_is_present_is_reported_missing(name):
    labels = TRUTH[name]["labels"]
    report = _review(name)
    wrongly_missing = [r.id for r in report.results if r.status == "missing" and labels[r.id] != "missing"]
    assert wrongly_missing == []


@pytest.mark.parametrize("name", list(TRUTH))
def test_terms_labelled_missing_are_not_reported_found(name):
    labels = TRUTH[name]["labels"]
    report = _review(name)
    assert [r.id for r in report.results if r.status == "found" and labels[r.id] == "missing"] == []


def test_precision_and_recall_on_the_independent_dpas(capsys):
    pairs: list[tuple[str, str]] = []
    lines = []
    for name, case in TRUTH.items():
        report = _review(name)
        mine = [(case["labels"][r.id], r.status) for r in report.results]
        pairs += mine
        s = scores(mine)
        lines.append(
            f"{name}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in s.items())
        )
    total = scores(pairs)
    lines.append("all: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in total.items()))
    with capsys.disabled():
        print("\nreview precision/recall on independent DPAs\n  " + "\n  ".join(lines))
    assert total["recall_present"] == 1.0
    assert total["precision_present"] >= 0.9
    assert total["exact_status"] >= 0.85
