"""explain(): a verdict's leaf tests as plain words — question labels and answers as a person reads them."""

from __future__ import annotations

from dpakit import conditions as cond
from dpakit.explain import NOT_ANSWERED, NOT_KNOWN, explain
from dpakit.questionnaire import answer_text, default_questionnaire


def verdict_for(condition: dict, facts: dict) -> cond.Verdict:
    return cond.evaluate(cond.parse_condition(condition), facts)


def test_an_answer_is_explained_with_its_question_label_and_answer_text():
    q = default_questionnaire().question("security.mfa_enforced")
    verdict = verdict_for(
        {"op": "ne", "field": "security.mfa_enforced", "value": "yes"}, {"security.mfa_enforced": "not_sure"}
    )
    [reason] = explain(verdict)
    assert reason.field == "security.mfa_enforced"
    assert reason.label == q.label
    assert reason.value_text == answer_text(q, "not_sure") == "Not sure"
    assert reason.text == f"{q.label} — Not sure"
    assert not reason.derived


def test_an_unanswered_question_says_so():
    verdict = verdict_for({"op": "ne", "field": "security.mfa_enforced", "value": "yes"}, {})
    assert explain(verdict)[0].value_text == NOT_ANSWERED


def test_a_multichoice_answer_uses_option_labels():
    q = default_questionnaire().question("purposes.purposes")
    verdict = verdict_for(
        {"op": "contains", "field": "purposes.purposes", "value": "email_marketing"},
        {"purposes.purposes": ["sales", "email_marketing"]},
    )
    assert explain(verdict)[0].value_text == answer_text(q, ["sales", "email_marketing"])
    assert "email_marketing" not in explain(verdict)[0].value_text


def test_a_derived_fact_uses_its_documented_label():
    verdict = verdict_for(
        {"op": "eq", "field": "transfer.tia_required", "value": True}, {"transfer.tia_required": True}
    )
    [reason] = explain(verdict)
    assert reason.derived
    assert reason.label == "a transfer impact assessment is required"
    assert reason.text == "A transfer impact assessment is required — Yes"


def test_regime_codes_are_named():
    verdict = verdict_for({"op": "contains", "field": "regimes", "value": "popia"}, {"regimes": ["popia", "ccpa"]})
    assert explain(verdict)[0].value_text == "South Africa POPIA, California CCPA/CPRA"


def test_an_unknown_derived_fact_falls_back_to_its_key():
    verdict = verdict_for({"op": "eq", "field": "volume.large", "value": True}, {})
    [reason] = explain(verdict, fact_labels={})
    assert reason.label == "volume.large" and reason.value_text == NOT_KNOWN


def test_each_field_is_explained_once_in_verdict_order():
    verdict = verdict_for(
        {
            "op": "all",
            "of": [
                {"op": "contains_any", "field": "regimes", "values": ["eu_gdpr"]},
                {"op": "ne", "field": "security.backups", "value": "yes"},
                {"op": "ne", "field": "security.backups", "value": "no"},
            ],
        },
        {"regimes": ["eu_gdpr"], "security.backups": "not_sure"},
    )
    assert [r.field for r in explain(verdict)] == ["regimes", "security.backups"]


def test_user_text_is_kept_literally():
    hostile = "<b>{{ 7*7 }}</b> **x** & Sons"
    verdict = verdict_for({"op": "answered", "field": "organisation.legal_name"}, {"organisation.legal_name": hostile})
    assert explain(verdict)[0].value_text == hostile
