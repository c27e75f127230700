"""Properties of the score: adding a safeguard never raises it, and the same answers always give the
same report. Answers are generated around the example organisations (so that every regime and transfer
combination they exercise appears) with every safeguard randomly yes / no / not sure / unanswered."""

from __future__ import annotations

from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from dpakit.analysis import analyse
from dpakit.examples import EXAMPLES, load_example
from dpakit.models import Answers, Purpose
from dpakit.risk import RiskReport, safeguards, score

SAFEGUARDS = sorted(safeguards())

YESNO = st.sampled_from([None, "no", "not_sure", "yes"])
LIST_SAFEGUARDS = {
    "jurisdictions.transfer_mechanisms": ["scc", "dpf", "uk_idta", "uk_addendum", "bcr", "popia_agreement", "consent"],
    "security.vendor_certifications": ["iso27001", "soc2", "eu_cloud_coc", "cyber_essentials"],
    "rights.request_channels": ["email", "web_form", "phone", "post", "in_crm"],
}
TEXT_SAFEGUARDS = {
    "data.special_category_safeguards": "Access limited to two named staff; explicit consent recorded.",
    "organisation.eu_representative": "Rep Ltd, Dublin",
    "organisation.uk_representative": "Rep Ltd, London",
    "crm.subprocessor_list_url": "https://example.com/subprocessors",
    "agreement.subprocessor_authorisation": "general",
}
PURPOSES = list(get_args(Purpose))  # every purpose the model allows, never a copy


def _section(data: dict, path: str) -> dict:
    """The dict holding ``path``'s field in an answers dump (the first agreement for ``agreement.*``)."""
    section = path.split(".")[0]
    return data["agreements"][0] if section == "agreement" else data[section]


@st.composite
def answers(draw) -> Answers:
    base = load_example(draw(st.sampled_from(list(EXAMPLES))))
    data = base.model_dump(mode="json")
    data["organisation"]["country"] = draw(st.sampled_from([None, "ZA", "DE", "GB", "US", "FR"]))
    data["agreements"][0]["our_role"] = draw(st.sampled_from([None, "controller", "processor"]))
    data["purposes"]["purposes"] = draw(st.none() | st.lists(st.sampled_from(PURPOSES), unique=True))
    data["purposes"]["sells_or_shares_data"] = draw(YESNO)
    data["data"]["record_volume"] = draw(st.sampled_from([None, "under_1k", "100k_1m", "not_sure"]))
    for path in SAFEGUARDS:
        _section(data, path)[path.split(".")[1]] = draw(YESNO)
    for path, options in LIST_SAFEGUARDS.items():
        _section(data, path)[path.split(".")[1]] = draw(st.none() | st.lists(st.sampled_from(options), unique=True))
    for path, value in TEXT_SAFEGUARDS.items():
        _section(data, path)[path.split(".")[1]] = draw(st.sampled_from([None, value]))
    return Answers.model_validate(data)


def no_higher(after: RiskReport, before: RiskReport) -> None:
    assert set(after.rule_ids) <= set(before.rule_ids)
    assert after.overall.score <= before.overall.score
    assert after.overall.points <= before.overall.points
    for a, b in zip(after.areas, before.areas, strict=True):
        assert a.score <= b.score, a.key
    assert [r.key for r in after.regimes] == [r.key for r in before.regimes]
    for a, b in zip(after.regimes, before.regimes, strict=True):
        assert a.score <= b.score, a.key


@given(answers(), st.data())
def test_answering_yes_to_a_safeguard_never_raises_a_score(base: Answers, data):
    missing = [p for p in SAFEGUARDS if base.get(p) != "yes"]
    if not missing:
        return
    path = data.draw(st.sampled_from(missing))
    no_higher(score(analyse(base.with_value(path, "yes"))), score(analyse(base)))


@given(answers(), st.data())
def test_adding_a_listed_safeguard_never_raises_a_score(base: Answers, data):
    path = data.draw(st.sampled_from(sorted(LIST_SAFEGUARDS)))
    current = base.get(path) or []
    extra = [v for v in LIST_SAFEGUARDS[path] if v not in current]
    if not extra:
        return
    added = data.draw(st.sampled_from(extra))
    no_higher(score(analyse(base.with_value(path, [*current, added]))), score(analyse(base)))


@given(answers(), st.data())
def test_recording_a_written_safeguard_never_raises_a_score(base: Answers, data):
    path = data.draw(st.sampled_from(sorted(TEXT_SAFEGUARDS)))
    if base.get(path):
        return
    no_higher(score(analyse(base.with_value(path, TEXT_SAFEGUARDS[path]))), score(analyse(base)))


@given(answers())
def test_all_safeguards_in_place_is_never_worse_than_any_mix(base: Answers):
    data = base.model_dump(mode="json")
    for path in SAFEGUARDS:
        section, field = path.split(".")
        data[section][field] = "yes"
    no_higher(score(analyse(Answers.model_validate(data))), score(analyse(base)))


@given(answers())
def test_scoring_is_deterministic(base: Answers):
    first = score(analyse(base))
    again = score(analyse(Answers.model_validate_json(base.model_dump_json())))
    assert first == again
    assert first.as_dict() == again.as_dict()
