"""The content checks (``python -m dpakit check``): every kind of content is loaded, and a condition that
names a fact nobody computes is an error naming the file and the question."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dpakit.checks import run_checks
from dpakit.errors import ContentError
from dpakit.questionnaire import QUESTIONS_DIR


def copy_questions(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    shutil.copytree(QUESTIONS_DIR, folder)
    return folder


def test_the_shipped_content_passes_every_check_and_the_facts_are_counted():
    lines = list(run_checks())
    assert lines[-1] == "all content files are valid"
    assert any(line.startswith("derived facts: ") and "answers" in line for line in lines)
    # every content file is loaded, the annexes and the regional authorities included
    assert any(line.startswith("annexes: ") and "security measures" in line for line in lines)
    assert any(line.startswith("supervisory authorities below the national level: 17") for line in lines)


def test_a_question_condition_naming_an_undocumented_fact_fails_the_check(tmp_path: Path):
    folder = copy_questions(tmp_path)
    path = folder / "06-jurisdictions.toml"
    path.write_text(path.read_text().replace('"org.in_eea_or_uk"', '"org.in_eea_or_gb"', 1))
    with pytest.raises(ContentError, match="06-jurisdictions.toml.*unknown field 'org.in_eea_or_gb'"):
        list(run_checks(folder))


def test_a_question_condition_naming_a_transfer_fact_fails_the_check(tmp_path: Path):
    # Visibility is decided from the answers alone: a fact of a later stage is not known in the wizard.
    folder = copy_questions(tmp_path)
    path = folder / "06-jurisdictions.toml"
    path.write_text(path.read_text().replace('"org.in_eea_or_uk"', '"transfer.any"', 1))
    with pytest.raises(ContentError, match="unknown field 'transfer.any'"):
        list(run_checks(folder))


def test_a_non_eu_scc_law_for_module_two_is_a_problem_naming_the_agreement_and_the_answer():
    from dpakit.checks import answer_problems
    from dpakit.examples import load_example

    answers = load_example("nordlicht")
    assert answer_problems(answers) == []
    bad = answers.with_value("jurisdictions.scc_governing_law", "US").with_value("jurisdictions.scc_forum", "US")
    law, forum = answer_problems(bad)
    assert law.startswith("Agreement with Pipeline Growth Partners LLC (pipeline-growth): Clause 17")
    assert "jurisdictions.scc_governing_law" in law and "EU Member State" in law
    assert "Clause 18" in forum and "jurisdictions.scc_forum" in forum
