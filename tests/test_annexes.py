"""The Annex wording in dpakit/data/annexes.toml: validated at load, tied to real answers, and explained in the DOCX."""

from __future__ import annotations

import functools
import io
import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from dpakit.analysis import analyse
from dpakit.drafting import annexes
from dpakit.drafting.annexes import ANNEX_III_HEADING, ANNEXES_FILE, annex_iii_comment, load_annex_content
from dpakit.drafting.clauses import load_library
from dpakit.drafting.draft import draft_dpa
from dpakit.errors import ContentError
from dpakit.examples import EXAMPLES, load_example
from dpakit.models import Answers, field_paths
from dpakit.questionnaire import default_questionnaire
from dpakit.requirements import load_catalogue
from tests.docx_checks import docx_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SNAPSHOTS = Path(__file__).parent / "fixtures" / "annexes"


def label(field: str) -> str:
    """The question's label as the questionnaire has it (the comments quote it, so the tests do too)."""
    return default_questionnaire().question(field).label


@functools.cache
def drafted(name: str, comments: bool = True):
    return draft_dpa(analyse(load_example(name)), comments=comments)


def _raw() -> dict:
    with ANNEXES_FILE.open("rb") as fh:
        return tomllib.load(fh)


# --- the content file --------------------------------------------------------------------------------


def test_every_answer_path_named_in_the_annex_file_exists_in_the_answers_model():
    raw = _raw()
    named = [m["field"] for m in raw["measure"]] + [w["field"] for w in raw["wording"].values()]
    assert named, "the file names no answer path"
    assert sorted(set(named) - set(field_paths())) == []


def test_each_measure_names_its_answer_path_once_with_requirements_and_a_review_date():
    measures = load_annex_content().measure
    fields = [m.field for m in measures]
    assert len(fields) == len(set(fields)) == len(_raw()["measure"])
    catalogue_ids = set(load_catalogue().ids())
    for m in measures:
        assert m.requirements and set(m.requirements) <= catalogue_ids, m.field
        assert m.last_reviewed.year >= 2026
    assert set(load_annex_content().annex_iii.requirements) <= catalogue_ids


def test_the_clauses_that_explain_annex_iii_exist_in_the_library():
    explained = load_annex_content().annex_iii.explained_in
    assert "security" in explained
    assert set(explained) <= set(load_library().ids())


def test_every_worded_value_is_an_option_of_its_question_and_every_real_option_is_worded():
    questionnaire = default_questionnaire()
    for name, wording in load_annex_content().wording.items():
        options = {o.value for o in questionnaire.question(wording.field).options}
        assert set(wording.values) <= options, name
        assert options - {"none", "not_sure", "other"} <= set(wording.values), name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["measure"][0].update(colour="red"), "colour"),
        (lambda raw: raw["measure"][0].update(field="security.mfa"), "security.mfa"),
        (lambda raw: raw["measure"][1].update(field=raw["measure"][0]["field"]), "more than one measure"),
        (lambda raw: raw["measure"][0].pop("last_reviewed"), "last_reviewed"),
        (lambda raw: raw["wording"]["vendors"].update(field="crm.vendr"), "crm.vendr"),
        (lambda raw: raw["annex_iii"].update(note="See {answers.password}"), "answers.password"),
        (lambda raw: raw["annex_iii"].update(intro_controller="In {crm.__class__}."), "crm.__class__"),
        (lambda raw: raw["annex_iii"].update(certification="Certified to {crm}."), "'crm'"),
        (lambda raw: raw["annex_iii"].update(intro_processor="In {crm!r}."), "without a format"),
        (lambda raw: raw["annex_iii"].update(note="A stray { brace"), "braces"),
        (lambda raw: raw["wording"].pop("hosting"), "hosting"),
        (lambda raw: raw["annex_ii"].update(nature="Held in {hosting}."), "nature: unknown name(s) ['hosting']"),
        (lambda raw: raw["annex_iv"].pop("controller"), "annex_iv.controller"),
        (lambda raw: raw["annex_i"].update(extra="x"), "annex_i.extra"),
    ],
)
def test_a_mistake_in_the_annex_file_is_a_content_error_naming_the_file(tmp_path, change, message):
    raw = _raw()
    change(raw)
    path = tmp_path / "annexes.toml"
    path.write_text(_to_toml(raw), encoding="utf-8")
    with pytest.raises(ContentError, match="annexes.toml") as caught:
        load_annex_content(path)
    assert message in str(caught.value)


def test_the_packaged_file_loads_as_written():
    content = load_annex_content(ANNEXES_FILE)
    assert content.measure[0].field == "agreement.processor_access_control"
    assert all(m.field.startswith("agreement.processor_") for m in content.measure)
    assert content.wording["vendors"].values["salesforce"] == "Salesforce"


DATA_README = ANNEXES_FILE.parent / "README.md"


def test_the_data_readme_example_of_the_annex_format_is_valid():
    """The Annexes section of dpakit/data/README.md shows a measure and a wording table that load."""
    text = DATA_README.read_text(encoding="utf-8")
    assert "\n## Annexes" in text and "Documented by the drafting change" not in text
    section = text.split("\n## Annexes", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.DOTALL)
    assert blocks, "the Annexes section has no ```toml example"
    example = tomllib.loads(blocks[0])
    measures = [annexes.Measure.model_validate(m) for m in example["measure"]]
    wordings = [annexes.Wording.model_validate(w) for w in example["wording"].values()]
    assert {m.field for m in measures} | {w.field for w in wordings} <= set(field_paths())
    packaged = {m.field: m for m in load_annex_content().measure}
    for m in measures:  # the example shows the real entry, so it cannot drift from the file
        assert packaged[m.field] == m


def test_a_value_with_braces_is_printed_as_typed_never_read_as_a_format():
    answers = load_example("nordlicht").model_copy(deep=True)
    answers.agreement.services = "Support {crm} {0.__class__} {{"
    answers.crm.vendor_other_name = None
    assert (
        annexes.processing(answers).subject_matter == "The performance of the Services: Support {crm} {0.__class__} {{"
    )
    assert annexes.party_activities(answers, "processor") == "Provides the Services: Support {crm} {0.__class__} {{"


# --- the rendered annexes did not change in the move ----------------------------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_rendered_annexes_are_unchanged_for_every_example(name):
    """Snapshot taken before the wording left annexes.py. After an intended change of wording, rewrite it
    (and read the diff): the text from "Annex I — List of parties" on of ``draft_dpa(..., comments=False)``."""
    text = docx_text(drafted(name, comments=False).docx)
    annexes_text = text[text.index("Annex I — List of parties") :] + "\n"
    assert annexes_text == (SNAPSHOTS / f"{name}.txt").read_text(encoding="utf-8")


# --- the explanation reaches the document ---------------------------------------------------------------


def _comments_by_anchor(data: bytes) -> dict[str, str]:
    """Comment text keyed by the text of the paragraph it is anchored on, read from the package XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        comments = etree.fromstring(z.read("word/comments.xml"))
    texts = {
        c.get(f"{W}id"): "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p"))
        for c in comments.iter(f"{W}comment")
    }
    out = {}
    for start in document.iter(f"{W}commentRangeStart"):
        para = start.getparent()
        out["".join(t.text or "" for t in para.iter(f"{W}t"))] = texts[start.get(f"{W}id")]
    return out


def test_annex_iii_comment_names_each_unconfirmed_measure_with_its_answer():
    agreement = load_example("fynbos").agreement
    assert (agreement.processor_incident_response, agreement.processor_mfa) == ("no", "not_confirmed")
    comment = _comments_by_anchor(drafted("fynbos").docx)[ANNEX_III_HEADING]
    field = "agreement.processor_incident_response"
    assert (
        "A condition, not a measure: it has a written plan for handling a Personal Data Breach — the questionnaire "
        f"answers “No” to “{label(field)}” ({field} = No)." in comment
    )
    # "not yet confirmed" is said as such (the option's label, not the stored value), never as if in place
    assert f"to “{label('agreement.processor_mfa')}”, so it is not confirmed (agreement.processor_mfa = " in comment
    assert "not_confirmed" not in comment


def test_a_measure_that_is_in_place_is_stated_and_not_listed_as_a_condition():
    answers = load_example("fynbos")
    assert answers.agreement.processor_encryption_in_transit == "yes"
    comment = _comments_by_anchor(drafted("fynbos").docx)[ANNEX_III_HEADING]
    assert "A condition, not a measure: it encrypts the Personal Data when it sends it" not in comment
    assert "In Annex III: it encrypts the Personal Data when it sends it over networks — the questionnaire" in comment
    confirmed = _comments_by_anchor(drafted("golden_state").docx)[ANNEX_III_HEADING]
    assert "In Annex III: certifications (a SOC 2 report)" in confirmed


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_annex_iii_comment_names_exactly_the_measures_annex_iii_shows_as_conditions(name):
    draft = drafted(name)
    comment = _comments_by_anchor(draft.docx)[ANNEX_III_HEADING]
    conditions = [line for line in comment.splitlines() if line.startswith("• A condition, not a measure: ")]
    assert len(conditions) == len(draft.missing_measures)
    for line, missing in zip(conditions, draft.missing_measures, strict=True):
        assert line.startswith(f"• A condition, not a measure: {missing.measure} — ")
        assert missing.field in line


SUMMARY = (
    "What it rests on: Annex III, which states {count} measures of the Processor's the questionnaire asks about; "
    "each one shown as a condition instead, and why, is in the comment on Annex III."
)


def test_the_security_clause_comment_sums_up_annex_iii_and_names_only_the_measures_stated():
    draft = drafted("fynbos")  # 3 of 9 measures answered "Yes"
    by_anchor = _comments_by_anchor(draft.docx)
    security = next(s for s in draft.selected if s.id == "security")
    comment = by_anchor[security.clause.title]
    assert "Part of every DPA dpakit drafts" in comment  # still why it is included
    assert SUMMARY.format(count="3 of the 9") in comment
    assert "— Yes (agreement.processor_encryption_in_transit)" in comment
    assert "— Yes (agreement.processor_staff_confidentiality)" in comment


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_security_clause_comment_no_longer_lists_every_answer(name):
    """The measures shown as conditions are explained once, on Annex III; the clause comment names only those stated."""
    draft = drafted(name)
    by_anchor = _comments_by_anchor(draft.docx)
    comment = by_anchor[next(s for s in draft.selected if s.id == "security").clause.title]
    stated = [b for b in annexes.measure_basis(load_example(name)) if b.in_annex]
    assert SUMMARY.format(count=f"{len(stated)} of the 9") in comment
    assert "A condition, not a measure" not in comment
    for missing in draft.missing_measures:
        assert f"({missing.field})" not in comment
        assert label(missing.field) not in comment
    for b in stated:
        assert f"— Yes ({b.measure.field})" in comment


def test_every_clause_named_in_explained_in_names_the_same_answers_in_its_comment():
    draft = drafted("fynbos")  # POPIA: both the security clause and the POPIA security measures clause
    by_anchor = _comments_by_anchor(draft.docx)
    explained = [s for s in draft.selected if s.id in load_annex_content().annex_iii.explained_in]
    assert {s.id for s in explained} == {"security", "popia-security-measures"}
    others = [s for s in draft.selected if s not in explained]
    for sel in explained:
        assert SUMMARY.format(count="3 of the 9") in by_anchor[sel.clause.title]
    for sel in others:
        assert "What it rests on: Annex III" not in by_anchor[sel.clause.title]


def test_an_unanswered_measure_is_said_to_be_unanswered_never_in_place():
    comment = annex_iii_comment(Answers())
    assert f"“{label('agreement.processor_mfa')}” is not answered yet" in comment
    assert "(agreement.processor_mfa: not answered)" in comment
    assert "In Annex III:" not in comment
    assert annexes.security_basis_lines(Answers()) == [SUMMARY.format(count="none of the 9")]


def test_annex_iii_never_credits_the_processor_with_the_crm_vendors_certifications():
    answers = load_example("nordlicht")
    assert answers.security.vendor_certifications  # Salesforce's ISO 27001 and SOC 2
    text = "\n".join(r.measure for r in annexes.measures_in_place(answers))
    assert "ISO/IEC 27001" not in text and "SOC 2" not in text
    held = answers.with_value("agreement.processor_certifications", ["iso27001"])
    [cert] = [r.measure for r in annexes.measures_in_place(held) if r.area == "Certification"]
    assert cert == "The Processor holds ISO/IEC 27001 certification; copies are available to the Controller on request."


def test_a_measure_answered_no_or_not_confirmed_or_blank_is_a_condition_naming_the_answer():
    from dpakit.drafting.before_you_sign import Conditions

    base = load_example("brightwave")  # every measure "yes"
    for value, said in (
        ("no", "the questionnaire answers no"),
        ("not_confirmed", "the questionnaire says the Processor has not yet confirmed it"),
        (None, "the questionnaire does not answer this yet"),
    ):
        record = Conditions()
        rows = annexes.measures_in_place(base.with_value("agreement.processor_backups", value), record)
        [row] = [r.measure for r in rows if r.area == "Availability and resilience"]
        measure = "it keeps back-ups from which it can restore the Personal Data"
        if value == "no":  # a decision to take, not a fact to confirm
            assert row == (
                "[Before signature: the parties agree by when the Processor will ensure that "
                f"{measure}, or record why that is not needed — {said}]"
            )
        else:
            assert row == f"[Before signature: the Processor confirms that {measure} — {said}]"
        assert [(c.answer_path, c.text) for c in record.items] == [("agreement.processor_backups", row)]


def _raw_option_values() -> set[str]:
    """Stored option values that are not words (``not_sure``, ``iso27001``): a comment must never print them."""
    return {
        o.value for q in default_questionnaire().questions() for o in q.options or [] if re.search(r"[_\d]", o.value)
    }


def _variants() -> list[tuple[str, Answers]]:
    blanks = load_example("fynbos").with_value("agreement.processor_mfa", None)
    blanks = blanks.with_value("agreement.processor_backups", None)
    unsure = load_example("nordlicht").with_value("agreement.processor_certifications", ["iso27001", "not_sure"])
    only_unsure = load_example("golden_state").with_value("agreement.processor_certifications", ["not_sure"])
    return [(n, load_example(n)) for n in EXAMPLES] + [
        ("fynbos, blanks", blanks),
        ("nordlicht, ISO and not sure", unsure),
        ("golden_state, certifications not sure", only_unsure),
    ]


@pytest.mark.parametrize(("name", "answers"), _variants(), ids=[n for n, _ in _variants()])
def test_no_comment_line_prints_a_raw_option_value(name, answers):
    """Answers are printed as the question's option label ("Not sure", "No"), never as stored (``not_sure``)."""
    comments = _comments_by_anchor(draft_dpa(analyse(answers)).docx)
    raw = _raw_option_values()
    assert "not_sure" in raw
    yesno = re.compile(r"= (?:yes|no|not_sure)\b")
    for anchor, comment in comments.items():
        for line in comment.splitlines():
            printed = {v for v in raw if re.search(rf"(?<![\w.]){re.escape(v)}(?!\w)", line)}
            assert not printed, (name, anchor, line)
            assert not yesno.search(line), (name, anchor, line)


def test_the_annex_iii_comment_opens_with_why_and_ends_the_lists_before_the_advice():
    comment = annex_iii_comment(load_example("fynbos")).splitlines()
    assert comment[0].startswith("Why Annex III reads as it does: ")
    advice = next(
        i for i, line in enumerate(comment) if line.startswith("If a measure shown as a condition is in fact in place")
    )
    bullets = [
        i for i, line in enumerate(comment) if line.startswith(("• A condition, not a measure: ", "• In Annex III: "))
    ]
    assert bullets and max(bullets) < advice
    assert comment[advice + 1] == "Requirements served:"


# What a measure must not claim: the review found these in Annex III after a plain "Yes" to a question that
# never asked about them (docs/legal-review.md, 2026-12-03, F1); the Processor's measures keep to the question.
UNSUPPORTED = {
    "agreement.processor_incident_response": ["documented", "assess", "time limits of this DPA", "tested"],
    "agreement.processor_logging": ["sign-in", "reviewed", "alert"],
    "agreement.processor_backups": ["separate location", "hourly"],
    "agreement.processor_encryption_in_transit": ["TLS", "public networks"],
    "agreement.processor_testing": ["quarterly", "weekly"],
    "agreement.processor_access_control": ["functions", "reviewed"],
}


def test_each_measure_says_no_more_than_its_question_confirms():
    by_field = {m.field: m for m in load_annex_content().measure}
    for field_path, phrases in UNSUPPORTED.items():
        question = default_questionnaire().question(field_path)
        asked = f"{question.label} {question.help}".casefold()
        for phrase in phrases:
            assert phrase.casefold() not in by_field[field_path].text.casefold(), (field_path, phrase)
            assert phrase.casefold() not in asked, (field_path, phrase)  # the question does not ask it either


def test_measure_citations_name_duties_not_consequences():
    measures = {m.field: m for m in load_annex_content().measure}
    catalogue = load_catalogue()
    for m in measures.values():
        assert "CCPA-150-1" not in m.requirements, m.field  # private right of action, not a duty
        assert "GDPR-34-3" not in m.requirements, m.field  # exemption from telling individuals
        assert ("PRACTICE-MFA" in m.requirements) == (m.field == "agreement.processor_mfa"), m.field
    for name in ("mfa", "encryption_in_transit", "encryption_at_rest"):
        assert "CCPA-7051-a-6" in measures[f"agreement.processor_{name}"].requirements
    assert "GDPR-33-5" not in measures["agreement.processor_logging"].requirements
    assert {"GDPR-28-3-f", "POPIA-21-2"} <= set(measures["agreement.processor_incident_response"].requirements)
    assert {"GDPR-28-3-b", "GDPR-32-4"} <= set(measures["agreement.processor_staff_confidentiality"].requirements)
    assert catalogue.get("CCPA-7051-a-6").citation == "11 CCR §7051(a)(6)"


def test_soc_2_is_a_report_held_not_a_certification():
    answers = load_example("golden_state")
    assert answers.agreement.processor_certifications == ["soc2"]
    [cert] = [r.measure for r in annexes.measures_in_place(answers) if r.area == "Certification"]
    assert "holds a SOC 2 report" in cert
    assert "certified to" not in cert and "certificates" not in cert


def test_the_annex_iii_text_does_not_print_the_tool_s_workflow():
    annex = load_annex_content().annex_iii
    for text in (annex.intro_processor, annex.intro_controller, annex.note, annex.note_confirmed):
        assert "questionnaire" not in text and "draft" not in text and "prepared" not in text
    assert "brackets" in annex.note and "before signature" in annex.note


def test_the_clean_copy_carries_no_annex_comment():
    with zipfile.ZipFile(io.BytesIO(drafted("fynbos", comments=False).docx)) as z:
        document = z.read("word/document.xml")
    assert b"commentRangeStart" not in document


# --- a tiny TOML writer for the mutated copies above ----------------------------------------------------


def _to_toml(raw: dict) -> str:
    import datetime
    import json

    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    lines = []
    for name in [k for k in raw if k.startswith("annex_")]:
        lines += [f"[{name}]", *(f"{k} = {value(v)}" for k, v in raw[name].items())]
    for name, table in raw["wording"].items():
        lines += [f"[wording.{name}]", f"field = {value(table['field'])}", f"[wording.{name}.values]"]
        lines += [f"{json.dumps(k)} = {value(v)}" for k, v in table["values"].items()]
    for measure in raw["measure"]:
        lines += ["[[measure]]", *(f"{k} = {value(v)}" for k, v in measure.items())]
    return "\n".join(lines) + "\n"
