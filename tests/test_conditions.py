"""The condition language: every operator, the decision traces, and what it refuses to parse."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from dpakit.conditions import ALWAYS, evaluate, leaves, parse_condition, referenced_fields

FACTS: dict[str, Any] = {
    "security.mfa_enforced": "no",
    "purposes.purposes": ["sales", "email_marketing"],
    "organisation.staff_count": 18,
    "organisation.country": "ZA",
    "organisation.legal_name": "",
    "crm.integrations": [],
    "derived.flag": True,
    "derived.count": 1,
    "organisation.has_dpo": None,
}


def check(cond: dict[str, Any], facts: dict[str, Any] = FACTS) -> bool:
    return evaluate(parse_condition(cond), facts).value


# --- each operator: true, false, unanswered --------------------------------------------------------

OPERATOR_CASES = [
    # (condition, expected with FACTS, expected when the field is unanswered)
    ({"op": "eq", "field": "security.mfa_enforced", "value": "no"}, True, False),
    ({"op": "eq", "field": "security.mfa_enforced", "value": "yes"}, False, False),
    ({"op": "ne", "field": "security.mfa_enforced", "value": "yes"}, True, True),
    ({"op": "ne", "field": "security.mfa_enforced", "value": "no"}, False, True),
    ({"op": "in", "field": "security.mfa_enforced", "values": ["no", "not_sure"]}, True, False),
    ({"op": "in", "field": "security.mfa_enforced", "values": ["yes"]}, False, False),
    ({"op": "contains", "field": "purposes.purposes", "value": "email_marketing"}, True, False),
    ({"op": "contains", "field": "purposes.purposes", "value": "profiling"}, False, False),
    ({"op": "contains_any", "field": "purposes.purposes", "values": ["profiling", "sales"]}, True, False),
    ({"op": "contains_any", "field": "purposes.purposes", "values": ["profiling", "advertising"]}, False, False),
    ({"op": "answered", "field": "security.mfa_enforced"}, True, False),
    ({"op": "answered", "field": "organisation.legal_name"}, False, False),
    ({"op": "answered", "field": "crm.integrations"}, False, False),
    ({"op": "gte", "field": "organisation.staff_count", "value": 18}, True, False),
    ({"op": "gte", "field": "organisation.staff_count", "value": 19}, False, False),
    ({"op": "lte", "field": "organisation.staff_count", "value": 18}, True, False),
    ({"op": "lte", "field": "organisation.staff_count", "value": 17}, False, False),
]


@pytest.mark.parametrize(
    ("cond", "expected", "unanswered"),
    OPERATOR_CASES,
    ids=[f"{c['op']}-{i}" for i, (c, _, _) in enumerate(OPERATOR_CASES)],
)
def test_each_operator_gives_the_expected_result_answered_and_unanswered(cond, expected, unanswered):
    assert check(cond) is expected
    field = cond["field"]
    assert check(cond, {**FACTS, field: None}) is unanswered
    missing = {k: v for k, v in FACTS.items() if k != field}
    assert check(cond, missing) is unanswered


def test_always_holds_and_gives_no_reasons():
    verdict = evaluate(ALWAYS, {})
    assert verdict.value is True
    assert verdict.because == ()
    assert check({"op": "always"}) is True


def test_contains_on_a_plain_string_is_false_rather_than_a_substring_match():
    assert not check({"op": "contains", "field": "organisation.country", "value": "Z"})


def test_gte_and_lte_never_hold_for_not_sure_or_text():
    facts = {"organisation.staff_count": "not_sure"}
    assert not check({"op": "gte", "field": "organisation.staff_count", "value": 0}, facts)
    assert not check({"op": "lte", "field": "organisation.staff_count", "value": 10**9}, facts)


# --- True is never 1 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"op": "eq", "field": "derived.flag", "value": 1}, False),
        ({"op": "eq", "field": "derived.count", "value": True}, False),
        ({"op": "eq", "field": "derived.flag", "value": True}, True),
        ({"op": "ne", "field": "derived.flag", "value": 1}, True),
        ({"op": "ne", "field": "derived.count", "value": True}, True),
        ({"op": "in", "field": "derived.flag", "values": [1, 2]}, False),
        ({"op": "in", "field": "derived.count", "values": [True]}, False),
        ({"op": "gte", "field": "derived.flag", "value": 1}, False),
        ({"op": "lte", "field": "derived.flag", "value": 1}, False),
    ],
)
def test_true_never_equals_one_in_any_operator(cond, expected):
    assert check(cond) is expected


def test_contains_does_not_find_true_in_a_list_of_counts_nor_one_in_a_list_of_flags():
    assert not check({"op": "contains", "field": "x", "value": 1}, {"x": [True, False]})
    assert not check({"op": "contains", "field": "x", "value": True}, {"x": [1, 0]})
    assert not check({"op": "contains_any", "field": "x", "values": [1]}, {"x": [True]})
    assert check({"op": "contains", "field": "x", "value": 1}, {"x": [1, 2]})


# --- traces -------------------------------------------------------------------------------------

MFA_NO = {"op": "eq", "field": "security.mfa_enforced", "value": "no"}
MARKETING = {"op": "contains", "field": "purposes.purposes", "value": "email_marketing"}
PROFILING = {"op": "contains", "field": "purposes.purposes", "value": "profiling"}
BIG = {"op": "gte", "field": "organisation.staff_count", "value": 250}


def test_all_that_holds_gives_every_leaf_as_its_reason():
    verdict = evaluate(parse_condition({"op": "all", "of": [MFA_NO, MARKETING]}), FACTS)
    assert verdict.value is True
    assert [(t.field, t.op, t.held) for t in verdict.because] == [
        ("security.mfa_enforced", "eq", True),
        ("purposes.purposes", "contains", True),
    ]
    assert verdict.because[0].actual == "no"
    assert verdict.because[0].expected == "no"


def test_all_that_fails_names_only_the_first_failing_leaf():
    verdict = evaluate(parse_condition({"op": "all", "of": [MFA_NO, BIG, PROFILING]}), FACTS)
    assert verdict.value is False
    assert [(t.field, t.held) for t in verdict.because] == [("organisation.staff_count", False)]
    assert verdict.because[0].actual == 18


def test_any_that_holds_names_only_the_leaves_that_held():
    verdict = evaluate(parse_condition({"op": "any", "of": [BIG, MFA_NO, PROFILING, MARKETING]}), FACTS)
    assert verdict.value is True
    assert [(t.field, t.op) for t in verdict.because] == [
        ("security.mfa_enforced", "eq"),
        ("purposes.purposes", "contains"),
    ]
    assert all(t.held for t in verdict.because)
    assert verdict.because[1].expected == "email_marketing"


def test_any_that_fails_names_every_leaf():
    verdict = evaluate(parse_condition({"op": "any", "of": [BIG, PROFILING]}), FACTS)
    assert verdict.value is False
    assert [t.field for t in verdict.because] == ["organisation.staff_count", "purposes.purposes"]
    assert not any(t.held for t in verdict.because)


def test_not_flips_the_result_and_marks_its_reasons_as_negated():
    verdict = evaluate(parse_condition({"op": "not", "cond": PROFILING}), FACTS)
    assert verdict.value is True
    (test,) = verdict.because
    assert test.held is False and test.negated is True
    double = evaluate(parse_condition({"op": "not", "cond": {"op": "not", "cond": PROFILING}}), FACTS)
    assert double.value is False
    assert double.because[0].negated is False


def test_not_is_true_for_an_unanswered_field():
    assert check({"op": "not", "cond": {"op": "eq", "field": "organisation.has_dpo", "value": "yes"}})


def test_in_and_contains_any_record_their_expected_values():
    verdict = evaluate(
        parse_condition({"op": "in", "field": "security.mfa_enforced", "values": ["no", "not_sure"]}), FACTS
    )
    assert verdict.because[0].expected == ("no", "not_sure")
    answered = evaluate(parse_condition({"op": "answered", "field": "security.mfa_enforced"}), FACTS)
    assert answered.because[0].expected is None


def test_nested_conditions_are_evaluated_and_explained_through_every_level():
    cond = parse_condition(
        {
            "op": "all",
            "of": [
                MARKETING,
                {
                    "op": "any",
                    "of": [BIG, {"op": "not", "cond": {"op": "eq", "field": "security.mfa_enforced", "value": "yes"}}],
                },
            ],
        }
    )
    verdict = evaluate(cond, FACTS)
    assert verdict.value is True
    assert [(t.field, t.negated) for t in verdict.because] == [
        ("purposes.purposes", False),
        ("security.mfa_enforced", True),
    ]
    assert verdict.fields == ["purposes.purposes", "security.mfa_enforced"]
    assert evaluate(cond, {**FACTS, "security.mfa_enforced": "yes"}).value is False


def test_verdict_is_truthy_exactly_when_its_value_is():
    assert bool(evaluate(parse_condition(MFA_NO), FACTS)) is True
    assert bool(evaluate(parse_condition(PROFILING), FACTS)) is False


def test_verdict_fields_lists_each_fact_once_in_order():
    verdict = evaluate(
        parse_condition(
            {"op": "all", "of": [MARKETING, MFA_NO, {"op": "contains", "field": "purposes.purposes", "value": "sales"}]}
        ),
        FACTS,
    )
    assert verdict.fields == ["purposes.purposes", "security.mfa_enforced"]


# --- invalid condition data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"op": "matches", "field": "a.b", "value": "x"},
        {"op": "eq", "field": "a.b", "value": "x", "extra": 1},
        {"op": "all", "of": []},
        {"op": "any", "of": []},
        {"op": "in", "field": "a.b", "values": []},
        {"op": "eq", "field": "a.b"},
        {"op": "eq", "value": "x"},
        {"op": "not"},
        {"op": "gte", "field": "a.b", "value": "ten"},
        {"op": "eq", "field": "a.b", "value": ["x"]},
        {"field": "a.b", "value": "x"},
        "eq",
        {"op": "all", "of": [{"op": "nope"}]},
    ],
    ids=[
        "unknown-op",
        "extra-key",
        "empty-all",
        "empty-any",
        "empty-in",
        "no-value",
        "no-field",
        "not-without-cond",
        "gte-text",
        "eq-list",
        "no-op",
        "not-a-table",
        "bad-child",
    ],
)
def test_invalid_condition_data_is_rejected(data):
    with pytest.raises(ValidationError):
        parse_condition(data)


def test_parsed_conditions_are_immutable():
    cond = parse_condition(MFA_NO)
    with pytest.raises(ValidationError):
        cond.value = "yes"  # type: ignore[misc]


# --- referenced fields -------------------------------------------------------------------------------


def test_referenced_fields_lists_every_leaf_field_once_depth_first():
    cond = parse_condition(
        {
            "op": "any",
            "of": [
                {"op": "all", "of": [MFA_NO, MARKETING]},
                {"op": "not", "cond": {"op": "answered", "field": "organisation.country"}},
                PROFILING,
                {"op": "always"},
            ],
        }
    )
    assert referenced_fields(cond) == ["security.mfa_enforced", "purposes.purposes", "organisation.country"]
    assert [leaf.op for leaf in leaves(cond)] == ["eq", "contains", "answered", "contains"]
    assert referenced_fields(ALWAYS) == []


# --- named sets (data/sets.toml) -----------------------------------------------------------------


def test_a_named_set_stands_for_its_values_and_keeps_its_name():
    from dpakit.conditions import named_sets

    main = named_sets()["main_regimes"]
    parsed = parse_condition({"op": "contains_any", "field": "regimes", "set": "main_regimes"})
    assert parsed.values == list(main.values) and parsed.set == "main_regimes"
    verdict = evaluate(parsed, {"regimes": ["popia"]})
    assert verdict.value and verdict.because[0].expected == main.values
    assert not evaluate(parsed, {"regimes": ["lgpd"]}).value
    assert evaluate(parse_condition({"op": "in", "field": "r", "set": "main_regimes"}), {"r": "ccpa"}).value


def test_a_named_set_is_parsed_like_the_same_values_written_out():
    from dpakit.conditions import named_sets

    written = parse_condition(
        {"op": "contains_any", "field": "regimes", "values": list(named_sets()["main_regimes"].values)}
    )
    named = parse_condition({"op": "contains_any", "field": "regimes", "set": "main_regimes"})
    for regimes in ([], ["eu_gdpr"], ["lgpd", "ccpa"], ["lgpd"]):
        assert evaluate(written, {"regimes": regimes}) == evaluate(named, {"regimes": regimes})


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        ({"op": "contains_any", "field": "regimes", "set": "main_regimez"}, "unknown set 'main_regimez'"),
        ({"op": "in", "field": "regimes", "set": "main_regimes", "values": ["ccpa"]}, "values or set, not both"),
        ({"op": "eq", "field": "regimes", "set": "main_regimes", "value": "ccpa"}, "Extra inputs"),
    ],
)
def test_a_named_set_that_is_unknown_or_doubled_is_refused(cond, message):
    with pytest.raises(ValidationError, match=message):
        parse_condition(cond)


def test_a_sets_file_is_validated(tmp_path):
    from dpakit.conditions import load_sets
    from dpakit.errors import ContentError

    path = tmp_path / "sets.toml"
    path.write_text('[set.empty]\nlabel = "nothing"\ndescription = "no values"\nvalues = []\n')
    with pytest.raises(ContentError, match="sets.toml.*empty.*values"):
        load_sets(path)
