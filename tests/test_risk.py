"""Risk rules as content, and the scoring core: every rule loads, cites real requirements, can fire,
and the report is explained and deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from dpakit import conditions as cond
from dpakit.analysis import analyse
from dpakit.errors import ContentError
from dpakit.examples import load_example
from dpakit.requirements import load_catalogue
from dpakit.risk import (
    AREAS,
    METHOD,
    load_rules,
    rating_of,
    rule_regimes,
    safeguards,
    score,
    severity_of,
)

ALL_REGIMES = ["eu_gdpr", "uk_gdpr", "popia", "ccpa"]
EVERYTHING = {
    "regimes": ALL_REGIMES,
    "role.controller": True,
    "role.processor": False,
    "purposes.purposes": [
        "sales",
        "email_marketing",
        "sms_marketing",
        "phone_marketing",
        "profiling",
        "automated_decisions",
        "advertising",
    ],
    "purposes.marketing_basis": "legitimate_interests",
    "purposes.sells_or_shares_data": "yes",
    "purposes.automated_decisions_significant": "yes",
    "data.sources": ["purchased_lists", "enrichment"],
    "data.data_categories": ["behavioural", "criminal", "government_ids"],
    "data.special": True,
    "data.children": True,
    "volume.large": True,
    "organisation.is_public_authority": "yes",
    "organisation.country": "DE",
    "organisation.staff_count": 50,
    "org.in_eea": False,
    "org.in_uk": False,
    "crm.integrations": ["advertising"],
    "crm.vendor_dpf_certified": "not_sure",
    "transfer.any": True,
    "transfer.eu_scc": True,
    "transfer.uk_addendum": True,
    "transfer.dpf": True,
    "transfer.popia_72": True,
    "transfer.tia_required": True,
    "processors.without_dpa": True,
}
AS_PROCESSOR = {
    **EVERYTHING,
    "role.controller": False,
    "role.processor": True,
    "purposes.sells_or_shares_data": "not_sure",
}


def fired(facts) -> set[str]:
    return {r.id for r in load_rules() if cond.evaluate(r.when, facts).value}


def test_there_are_at_least_45_rules_covering_every_area():
    rules = load_rules()
    assert len(rules) >= 45
    assert {r.area for r in rules} == set(AREAS)


def test_every_rule_can_fire_in_some_situation():
    # Every rule is exercised: the union of a worst-case controller and a worst-case processor fires all.
    assert fired(EVERYTHING) | fired(AS_PROCESSOR) == {r.id for r in load_rules()}


def test_every_cited_requirement_is_in_the_catalogue():
    catalogue = load_catalogue()
    for rule in load_rules():
        for ref in rule.requirements:
            assert ref in catalogue, (rule.id, ref)


def test_every_rule_concerns_at_least_one_main_regime():
    for rule in load_rules():
        assert set(rule_regimes(rule)) & set(ALL_REGIMES), rule.id


def test_no_rule_fires_without_a_law_in_scope():
    nothing = {k: v for k, v in EVERYTHING.items() if k != "regimes"}
    assert fired({**nothing, "regimes": []}) <= {"R-TRF-02", "R-TRF-03", "R-TRF-04", "R-TRF-06"}


def test_an_unknown_requirement_id_is_a_content_error_naming_file_and_rule(tmp_path: Path):
    source = (Path(__file__).parents[1] / "dpakit/data/rules/ccpa.toml").read_text()
    (tmp_path / "ccpa.toml").write_text(source.replace('"CCPA-135-b"', '"CCPA-999"'))
    with pytest.raises(ContentError) as err:
        load_rules(tmp_path, load_catalogue())
    assert "ccpa.toml" in str(err.value) and "R-CCPA-02" in str(err.value) and "CCPA-999" in str(err.value)


def test_a_safeguard_tested_the_wrong_way_round_is_rejected(tmp_path: Path):
    source = (Path(__file__).parents[1] / "dpakit/data/rules/security.toml").read_text()
    bad = source.replace(
        '{ op = "ne", field = "security.mfa_enforced", value = "yes" }',
        '{ op = "eq", field = "security.mfa_enforced", value = "yes" }',
    )
    (tmp_path / "security.toml").write_text(bad)
    with pytest.raises(ContentError, match="R-SEC-01.*safeguard security.mfa_enforced"):
        load_rules(tmp_path, load_catalogue())


def test_an_unknown_field_in_a_condition_is_rejected(tmp_path: Path):
    source = (Path(__file__).parents[1] / "dpakit/data/rules/security.toml").read_text()
    (tmp_path / "security.toml").write_text(source.replace("security.mfa_enforced", "security.mfa_enfroced"))
    with pytest.raises(ContentError, match="unknown answer field or fact 'security.mfa_enfroced'"):
        load_rules(tmp_path, load_catalogue())


def test_an_action_id_reused_with_different_text_is_rejected(tmp_path: Path):
    source = (Path(__file__).parents[1] / "dpakit/data/rules/retention.toml").read_text()
    first = source.index('title = "Agree a retention schedule')
    changed = source[:first] + source[first:].replace(
        'title = "Agree a retention schedule', 'title = "Agree retention periods', 1
    )
    (tmp_path / "retention.toml").write_text(changed)
    with pytest.raises(ContentError, match="action A-RET-SCHEDULE differs"):
        load_rules(tmp_path, load_catalogue())


def test_safeguards_are_yes_no_answer_fields():
    from dpakit.models import field_annotation

    assert len(safeguards()) >= 30
    for path in safeguards():
        assert "not_sure" in str(field_annotation(path)), path


def test_safeguards_are_the_questions_flagged_safeguard():
    from dpakit.questionnaire import default_questionnaire

    flagged = {q.field for q in default_questionnaire().questions() if q.safeguard}
    assert safeguards() == flagged
    assert {"security.mfa_enforced", "organisation.has_dpo", "jurisdictions.tia_done"} <= flagged
    assert "security.vendor_certifications" not in flagged  # a list, tested with contains


def test_a_rule_may_test_an_unflagged_answer_either_way_round(tmp_path: Path):
    # The check follows the flag: once mfa_enforced is no longer flagged, eq "yes" is accepted.
    from dpakit.questionnaire import QUESTIONS_DIR, load_questionnaire

    questions = tmp_path / "questions"
    questions.mkdir()
    for path in QUESTIONS_DIR.glob("*.toml"):
        text = path.read_text()
        if path.name == "07-security.toml":
            marker = 'field = "security.mfa_enforced"'
            head, _, tail = text.partition(marker)
            text = head + marker + tail.replace("safeguard = true\n", "", 1)
        (questions / path.name).write_text(text)
    unflagged = load_questionnaire(questions)
    assert "security.mfa_enforced" not in safeguards(unflagged)
    rules = tmp_path / "rules"
    rules.mkdir()
    source = (Path(__file__).parents[1] / "dpakit/data/rules/security.toml").read_text()
    (rules / "security.toml").write_text(
        source.replace(
            '{ op = "ne", field = "security.mfa_enforced", value = "yes" }',
            '{ op = "eq", field = "security.mfa_enforced", value = "yes" }',
        )
    )
    assert load_rules(rules, load_catalogue(), unflagged)
    with pytest.raises(ContentError, match="safeguard security.mfa_enforced"):
        load_rules(rules, load_catalogue())


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (25, "critical"),
        (16, "critical"),
        (15, "high"),
        (10, "high"),
        (9, "medium"),
        (5, "medium"),
        (4, "low"),
        (1, "low"),
    ],
)
def test_severity_bands(value, band):
    assert severity_of(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "none"),
        (1, "low"),
        (14, "low"),
        (15, "moderate"),
        (35, "high"),
        (59, "high"),
        (60, "severe"),
        (100, "severe"),
    ],
)
def test_rating_bands(value, band):
    assert rating_of(value) == band


def test_the_method_text_states_the_bands_it_uses():
    for words in (
        "likelihood × impact",
        "critical** 16–25",
        "high** 10–15",
        "medium** 5–9",
        "low** 1–4",
        "severe** 60–100",
        "lawyer",
    ):
        assert words in METHOD


def test_a_finding_names_the_answers_that_triggered_it():
    report = score(analyse(load_example("fynbos")))
    mfa = report.finding("R-SEC-01")
    assert mfa.severity == "critical" and mfa.score == 20
    first = mfa.reasons[0]
    assert first.field == "security.mfa_enforced" and first.value_text == "No" and not first.derived
    assert mfa.reasons[-1].field == "regimes" and "POPIA" in mfa.reasons[-1].value_text
    assert [c.id for c in mfa.citations] == ["POPIA-19-1", "POPIA-19-3"]  # only the laws in scope


def test_findings_are_sorted_worst_first_and_scores_are_consistent():
    report = score(analyse(load_example("nordlicht")))
    scores = [f.score for f in report.findings]
    assert scores == sorted(scores, reverse=True)
    assert report.overall.points == sum(scores)
    assert 0 <= report.overall.score <= 100
    assert sum(a.findings for a in report.areas) == len(report.findings)
    assert [r.key for r in report.regimes] == ["eu_gdpr", "uk_gdpr"]


def test_the_same_answers_give_the_same_report():
    answers = load_example("brightwave")
    assert score(analyse(answers)) == score(analyse(answers))
    assert score(analyse(answers)).as_dict() == score(analyse(answers.model_copy(deep=True))).as_dict()


def test_a_plain_facts_mapping_can_be_scored():
    report = score({"regimes": ["popia"], "security.mfa_enforced": "yes"})
    assert "R-SEC-01" not in report.rule_ids and "R-SEC-02" in report.rule_ids


def test_the_heat_map_has_25_cells_counting_every_finding():
    from dpakit.risk import heatmap_cells

    report = score(analyse(load_example("fynbos")))
    cells = heatmap_cells(report)
    assert len(cells) == 25
    assert sum(c["findings"] for c in cells) == len(report.findings)
    top = next(c for c in cells if (c["likelihood"], c["impact"]) == (4, 5))
    assert "R-SEC-01" in top["rules"] and top["band"] == "critical"


def test_no_rule_writes_out_the_main_regimes_instead_of_naming_the_set():
    main = set(cond.named_sets()["main_regimes"].values)
    written_out = [
        rule.id
        for rule in load_rules()
        for leaf in cond.leaves(rule.when)
        if leaf.field == "regimes" and set(getattr(leaf, "values", ())) == main and leaf.set is None
    ]
    assert written_out == []
    assert sum(1 for r in load_rules() for leaf in cond.leaves(r.when) if getattr(leaf, "set", None)) >= 20
