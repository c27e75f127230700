"""dpakit/data/README.md documents every content format, and each example in it loads with the loader the
app uses (as clauses/README.md is checked by test_clauses.py), so the documentation cannot drift."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from dpakit import conditions as cond
from dpakit.answers_file import parse_answers
from dpakit.content import DATA_DIR
from dpakit.facts import fact_keys, load_fact_specs
from dpakit.jurisdictions import load_countries
from dpakit.questionnaire import QUESTIONS_DIR, load_section, visibility_keys
from dpakit.regimes import load_regimes
from dpakit.requirements import REGIME_NAMES, load_catalogue
from dpakit.risk import load_rules
from dpakit.vendors import load_vendors

README = DATA_DIR / "README.md"
ANNEXES_HEADING = "## Annexes (dpakit/data/annexes.toml)"


def sections() -> dict[str, str]:
    """``## heading`` → the text under it, for every second-level section of the README."""
    parts = re.split(r"^## ", README.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0].strip(): part.split("\n", 1)[1] for part in parts}


def blocks(title: str, language: str = "toml") -> list[str]:
    found = re.findall(rf"```{language}\n(.*?)```", sections()[title], re.DOTALL)
    assert found, f"the README section {title!r} has no ```{language} example"
    return found


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- each example, through the app's own loader -------------------------------------------------------


def check_questions(tmp_path: Path) -> None:
    (text,) = blocks("Questions (dpakit/data/questions/*.toml)")
    section = load_section(write(tmp_path, "01-organisation.toml", text))
    assert [q.field for q in section.questions] == [
        "organisation.has_dpo",
        "organisation.dpo_name",
        "organisation.eu_representative",
    ]
    assert section.questions[0].safeguard
    assert "org.in_eea" in cond.referenced_fields(section.questions[2].visible_if)


def check_conditions(tmp_path: Path) -> None:
    (text,) = blocks("Conditions (in questions, regimes, rules and clauses)")
    data = tomllib.loads(text)
    when, visible_if = cond.parse_condition(data["when"]), cond.parse_condition(data["visible_if"])
    assert set(cond.referenced_fields(when)) <= set(fact_keys())
    assert set(cond.referenced_fields(visible_if)) <= set(visibility_keys())
    assert cond.evaluate(when, {"regimes": ["popia"], "security.mfa_enforced": "not_sure"}).value
    assert cond.evaluate(visible_if, {"org.in_eea_or_uk": True}).value


def check_facts(tmp_path: Path) -> None:
    (text,) = blocks("Derived facts (dpakit/data/facts.toml)")
    specs = load_fact_specs(write(tmp_path, "facts.toml", text))
    packaged = load_fact_specs()
    assert specs and all(packaged[key] == spec for key, spec in specs.items())  # the real entry


def check_sets(tmp_path: Path) -> None:
    (text,) = blocks("Named sets (dpakit/data/sets.toml)")
    sets = cond.load_sets(write(tmp_path, "sets.toml", text))
    assert sets["main_regimes"].values == cond.named_sets()["main_regimes"].values
    assert all(code in REGIME_NAMES for code in sets["main_regimes"].values)


def check_regimes(tmp_path: Path) -> None:
    (text,) = blocks("Regimes (dpakit/data/regimes.toml)")
    (regime,) = load_regimes(write(tmp_path, "regimes.toml", text))
    assert regime.code in REGIME_NAMES and regime.applies_if and regime.may_apply_if
    assert regime.mandatory_law == "the law of the Republic of South Africa" and regime.statute


def check_requirements(tmp_path: Path) -> None:
    sources, requirements = blocks("Requirements catalogue (dpakit/data/requirements/*.toml)")
    folder = tmp_path / "requirements"
    write(folder, "sources.toml", sources)
    write(folder, "popia.toml", requirements)
    catalogue = load_catalogue(folder)
    assert catalogue.ids() == ["POPIA-22-2", "POPIA-25"]
    untimed, timed = catalogue.get("POPIA-22-2").deadline, catalogue.get("POPIA-25").deadline
    assert untimed.in_words and untimed.topic == "breach" and timed.days == 30 and timed.topic == "requests"
    assert catalogue.get("POPIA-25").url == catalogue.sources["SRC-POPIA"].url


def check_rules(tmp_path: Path) -> None:
    (text,) = blocks("Risk rules (dpakit/data/rules/*.toml)")
    write(tmp_path / "rules", "security.toml", text)
    (rule,) = load_rules(tmp_path / "rules", load_catalogue())
    assert rule.area == "security" and rule.score == 20


def check_vendors(tmp_path: Path) -> None:
    (text,) = blocks("CRM vendors (dpakit/data/vendors.toml)")
    (vendor,) = load_vendors(write(tmp_path, "vendors.toml", text)).values()
    assert vendor.id == "examplecrm" and vendor.eu_hosting


def check_countries(tmp_path: Path) -> None:
    (text,) = blocks("Countries (dpakit/data/countries.toml)")
    found = load_countries(write(tmp_path, "countries.toml", text))
    assert found["NO"].eea and not found["CH"].eea and found["CH"].eu_adequate


def check_authorities(tmp_path: Path) -> None:
    from dpakit.authorities import load_authorities

    (text,) = blocks("Regional supervisory authorities (dpakit/data/authorities.toml)")
    found = load_authorities(write(tmp_path, "authorities.toml", text))
    packaged = load_authorities()
    assert found and all(packaged[code] == entry for code, entry in found.items())  # the real entry


def check_examples(tmp_path: Path) -> None:
    (text,) = blocks("Example answers (dpakit/data/examples/*.json)", "json")
    answers = parse_answers(text, "the README example")
    assert answers.organisation.country == "ZA" and answers.security.mfa_enforced == "no"


CHECKS: dict[str, Callable[[Path], None]] = {
    "Questions (dpakit/data/questions/*.toml)": check_questions,
    "Conditions (in questions, regimes, rules and clauses)": check_conditions,
    "Derived facts (dpakit/data/facts.toml)": check_facts,
    "Named sets (dpakit/data/sets.toml)": check_sets,
    "Regimes (dpakit/data/regimes.toml)": check_regimes,
    "Requirements catalogue (dpakit/data/requirements/*.toml)": check_requirements,
    "Risk rules (dpakit/data/rules/*.toml)": check_rules,
    "CRM vendors (dpakit/data/vendors.toml)": check_vendors,
    "Countries (dpakit/data/countries.toml)": check_countries,
    "Regional supervisory authorities (dpakit/data/authorities.toml)": check_authorities,
    "Example answers (dpakit/data/examples/*.json)": check_examples,
}
NO_EXAMPLE_HERE = {
    "Review detection (dpakit/data/detection/*.toml)",  # its own README, with its own example
    ANNEXES_HEADING.removeprefix("## "),  # its example: tests/test_annexes.py (drafting's own models)
}


@pytest.mark.parametrize("title", sorted(CHECKS))
def test_the_readme_example_loads_with_the_app_s_loader(title, tmp_path):
    CHECKS[title](tmp_path)


def test_every_section_of_the_readme_is_checked_or_says_where_its_example_is():
    assert set(sections()) == set(CHECKS) | NO_EXAMPLE_HERE


def test_every_file_and_folder_of_the_content_is_documented():
    titles = " ".join(sections())
    for entry in sorted(DATA_DIR.iterdir()):
        if entry.name in ("README.md", "__pycache__"):
            continue
        shown = f"dpakit/data/{entry.name}/" if entry.is_dir() else f"dpakit/data/{entry.name}"
        assert shown in titles, f"{shown} has no section in dpakit/data/README.md"


def test_the_question_files_point_to_this_readme_for_their_format():
    for path in sorted(QUESTIONS_DIR.glob("*.toml")):
        head = path.read_text(encoding="utf-8")[:400]
        assert "dpakit/data/README.md" in head and ".py" not in head, path.name
