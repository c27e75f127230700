"""Fuzzing the whole pipeline with hostile answers: validate → analyse → score → draft → review.

Answers are generated around the four example organisations (so every regime and transfer path they
exercise is reached) with hostile strings in the free-text fields and processor tables — template syntax,
WordprocessingML, Markdown, control characters, right-to-left marks and text, emoji, 10,000-character
values — empty lists, unknown-but-well-formed country codes, and sometimes every closed question answered
"not sure". The properties:

- a valid answers file is accepted, and nothing later crashes: the only exceptions allowed anywhere are
  ``DpakitError`` refusals of bad *input* — and for valid answers there are none (a ``CoverageGap`` for
  valid answers is a bug: the library must serve every mandatory term of a regime in scope);
- the DOCX is a valid package (``tests/docx_checks.check_package``) in which the hostile strings are
  the only things that look like template tags;
- the organisation's and the counterparty's names, as the model cleaned them, appear literally;
- reviewing the drafted DPA, or a hostile text, never crashes.

These tests are marked ``fuzz`` *and* run in the normal suite: ``make test`` runs them with the profile's
examples (``ci``: 200, ``dev``: 50), ``make fuzz`` with 10 000. Drafting costs about 0.1 s an example,
so outside the ``fuzz`` profile the drafting property is capped at ``DRAFT_EXAMPLES_CAP`` examples (a few
seconds of CI); the cheap properties (validation, review of text) use the profile's full count.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dpakit.analysis import analyse
from dpakit.answers_file import MAX_FILE_BYTES, parse_answers
from dpakit.drafting.annexes import one_line
from dpakit.drafting.draft import draft_dpa
from dpakit.errors import AnswersFileError, InputError
from dpakit.examples import EXAMPLES, load_example
from dpakit.jurisdictions import countries
from dpakit.models import SHORT_TEXT_MAX, Answers, field_paths
from dpakit.review.reading import read_document, read_text
from dpakit.review.report import REVIEW_REGIMES, review_document
from dpakit.risk import score
from tests.docx_checks import check_package, docx_text

pytestmark = pytest.mark.fuzz

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
DRAFT_EXAMPLES_CAP = 60
"""Drafting examples per run outside ``make fuzz`` (≈ 0.1 s each: a few seconds of CI)."""

HOSTILE = [
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "{%p if x %}",
    "{{r rt }}",
    "{_{ split }_}",
    "{# comment #}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "<w:p><w:r><w:t>injected</w:t></w:r></w:p>",
    "]]></w:t><w:t>",
    "Smith & Sons <Ltd> \"q\" 'a' &amp; &#x41;",
    "**bold** _under_ [link](http://x) # h1\n- item\n1. one",
    "ctl\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85chars",
    "tab\there\r\nnew\u2028line\u2029para",
    "\u202eעברית\u202c \u200fالعربية\u200e \u2066iso\u2069",
    "emoji 😀👩🏽‍💻🇿🇦 e\u0301",
    "[[controller.name]] [[scc.modules]]",
    "100% }} %} #} {{",
    "\\n \\a \\f \\t",
    "\ufeffBOM \u200bzero\u200dwidth",
    "ＦＵＬＬ ｗｉｄｔｈ Ω ß ﬁ",
]
LONG = "Ω" * (SHORT_TEXT_MAX - 20) + " {{ 7*7 }} & <x>"

# One-line text fields (ShortText) the DPA prints, and multi-line ones (LongText).
NAME_FIELDS = ("organisation.legal_name", "agreement.counterparty_name")
SHORT_FIELDS = (
    *NAME_FIELDS,
    "organisation.registration_number",
    "organisation.privacy_contact_name",
    "organisation.dpo_name",
    "organisation.eu_representative",
    "organisation.uk_representative",
    "agreement.counterparty_contact_name",
    "agreement.main_agreement_name",
    "crm.vendor_other_name",
    "crm.vendor_dpa_url",
    "crm.subprocessor_list_url",
)
LONG_FIELDS = (
    "organisation.address",
    "agreement.counterparty_address",
    "agreement.services",
    "data.special_category_safeguards",
)
LIST_FIELDS = (
    "organisation.other_establishments",
    "crm.accessed_from",
    "crm.integrations",
    "crm.processors",
    "data.subject_categories",
    "data.data_categories",
    "data.special_categories",
    "data.sources",
    "purposes.purposes",
    "jurisdictions.markets",
    "jurisdictions.transfer_mechanisms",
    "security.vendor_certifications",
    "rights.request_channels",
    "rights.retention_rules",
)
COUNTRY_FIELDS = (
    "organisation.country",
    "agreement.counterparty_country",
    "crm.vendor_country",
    "agreement.governing_law_country",
)


def _closed_not_sure_fields() -> list[str]:
    """Every closed-vocabulary field that accepts ``"not_sure"`` (free text accepts anything)."""
    empty = Answers()
    paths = []
    for path in field_paths():
        try:
            empty.with_value(path, "not_sure")
        except Exception:  # noqa: BLE001 - not a field that takes "not sure"
            continue
        try:
            empty.with_value(path, "surely not a vocabulary value")
        except Exception:  # noqa: BLE001 - closed vocabulary: this is one
            paths.append(path)
    return paths


NOT_SURE_FIELDS = _closed_not_sure_fields()
KNOWN_COUNTRIES = sorted(countries())

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=5).map(" ".join),
    st.text(max_size=60),
    st.text(st.characters(codec="utf-8"), max_size=30).map(lambda t: "{{ " + t + " }}"),
    st.just(LONG),
)
country = st.sampled_from(KNOWN_COUNTRIES) | st.sampled_from(["ZZ", "XK", "EU", "AA"])


def _set(data: dict, path: str, value) -> None:
    section, field = path.split(".")
    (data["agreements"][0] if section == "agreement" else data[section])[field] = value


@st.composite
def hostile_answers(draw) -> dict:
    """An answers *file* (as a dict) around an example, with hostile values; valid by construction."""
    data = load_example(draw(st.sampled_from(list(EXAMPLES)))).model_dump(mode="json")
    if draw(st.booleans()):
        for path in NOT_SURE_FIELDS:
            _set(data, path, "not_sure")
    for path in SHORT_FIELDS + LONG_FIELDS:
        if path in NAME_FIELDS or draw(st.booleans()):
            _set(data, path, draw(hostile_text))
    for path in COUNTRY_FIELDS:
        if draw(st.integers(0, 3)) == 0:
            _set(data, path, draw(country))
    for path in LIST_FIELDS:
        if draw(st.integers(0, 4)) == 0:
            _set(data, path, [])
    if draw(st.booleans()):
        processors = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": hostile_text.filter(_non_blank),
                        "service": hostile_text,
                        "country": st.none() | country,
                        "address": hostile_text,
                        "dpf_certified": st.sampled_from(["yes", "no", "not_sure"]),
                        "dpa_in_place": st.sampled_from(["yes", "no", "not_sure"]),
                    }
                ),
                max_size=4,
            )
        )
        _set(data, "crm.processors", processors)
    if draw(st.booleans()):
        rules = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "category": hostile_text.filter(_non_blank),
                        "period": hostile_text.filter(_non_blank),
                    }
                ),
                max_size=3,
            )
        )
        _set(data, "rights.retention_rules", rules)
    return data


def _non_blank(text: str) -> bool:
    from dpakit.models import clean_line

    return bool(clean_line(text))


def _user_strings(answers: Answers) -> list[str]:
    """Every free-text value the model kept, as the model cleaned it (the DOCX's allowed literals)."""
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
            out.append(value[:80])  # the document title in docProps/core.xml holds the names cut at 80
            out.append(one_line(value))  # addresses are printed on one line, their lines joined by ", "
            out.extend(line for line in value.split("\n") if line)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(answers.model_dump(mode="json"))
    return sorted(set(out), key=len, reverse=True)  # longest first: a short one may be inside a long one


def _review_regimes(analysis) -> list[str]:
    return [c for c in analysis.regimes_in_scope if c in REVIEW_REGIMES] or ["eu_gdpr"]


draft_settings = settings(
    max_examples=(settings.default.max_examples if FUZZ else min(settings.default.max_examples, DRAFT_EXAMPLES_CAP)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@draft_settings
@given(hostile_answers())
@example({**load_example("brightwave").model_dump(mode="json")})
def test_hostile_answers_go_through_the_whole_pipeline(data):
    answers = parse_answers(json.dumps(data, ensure_ascii=False).encode("utf-8"), name="fuzz.json")
    analysis = analyse(answers)
    score(analysis)
    draft = draft_dpa(analysis)  # a CoverageGap here is a bug: the answers are valid

    user_strings = _user_strings(answers)
    check_package(draft.docx, allowed_literals=user_strings)
    text = docx_text(draft.docx)
    for path in NAME_FIELDS:
        value = answers.get(path)
        if value:
            assert value in text, f"{path} ({value[:80]!r}) is not in the DPA literally"

    report = review_document(
        read_document(draft.docx, "dpa.docx"),
        _review_regimes(analysis),
        answers.agreement.our_role or "controller",
        facts=analysis.facts,
    )
    assert report.results, "the review checked no term"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(hostile_answers(), st.data())
def test_a_mutated_answers_file_is_accepted_or_refused_with_a_reason(data, draw):
    """Breaking the file (a wrong type, an unknown field, a truncation) is an ``AnswersFileError``."""
    raw = json.dumps(data, ensure_ascii=False)
    mutation = draw.draw(st.sampled_from(["none", "truncate", "wrong_type", "unknown_field", "version"]))
    if mutation == "truncate":
        raw = raw[: draw.draw(st.integers(0, len(raw) - 1))]
    elif mutation == "wrong_type":
        path = draw.draw(st.sampled_from(field_paths()))
        _set(data, path, draw.draw(st.sampled_from([{"x": 1}, [None], 1.5, True, "x" * (SHORT_TEXT_MAX + 1)])))
        raw = json.dumps(data, ensure_ascii=False)
    elif mutation == "unknown_field":
        data[draw.draw(st.sampled_from(["organisation", "crm", "extra"]))] = {"{{ 7*7 }}": 1}
        raw = json.dumps(data, ensure_ascii=False)
    elif mutation == "version":
        data["schema_version"] = draw.draw(st.sampled_from([0, 2, 99, -1, "1", None, True]))
        raw = json.dumps(data, ensure_ascii=False)
    try:
        answers = parse_answers(raw.encode("utf-8"), name="fuzz.json")
    except AnswersFileError as exc:
        assert mutation != "none", f"a valid file was refused: {exc}"
        assert str(exc).startswith("fuzz.json"), str(exc)
        return
    assert isinstance(answers, Answers)
    analyse(answers)


def test_an_oversized_answers_file_is_refused_before_parsing():
    with pytest.raises(AnswersFileError, match="at most"):
        parse_answers(b"{" + b" " * MAX_FILE_BYTES + b"}", name="big.json")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        hostile_text | st.sampled_from(["", "# Data Processing Agreement", "1. Sub-processors"]), min_size=1, max_size=8
    ),
    st.sets(st.sampled_from(REVIEW_REGIMES), min_size=1),
    st.sampled_from(["controller", "processor"]),
    st.sampled_from(["text", "markdown", "bytes"]),
)
def test_reviewing_hostile_text_never_crashes(lines, regimes, role, kind):
    text = "\n".join(lines)
    try:
        if kind == "bytes":
            doc = read_document(text.encode("utf-8"), "contract.txt")
        else:
            doc = read_text(text, name="contract", kind="markdown" if kind == "markdown" else "pasted")
    except InputError:  # empty, unreadable or too long: refused with a reason
        return
    report = review_document(doc, sorted(regimes), role)
    assert report.results
    for result in report.results:
        assert result.status in ("found", "weak", "missing")


_PLAIN_SENTENCE_END = re.compile(r"(\w*)[.!?](?=\s+[\"“(A-Z0-9]|\s*$)")
"""The review's sentence-end pattern before it was made linear (it was quadratic in a word's length)."""


@given(st.text(st.sampled_from('ab.!? \n\t"“(A1_éΩ'), max_size=40) | hostile_text)
def test_the_linear_sentence_end_pattern_finds_what_the_plain_one_did(text):
    from dpakit.review.detection import _SENTENCE_END

    assert [(m.end(), m.group(1)) for m in _SENTENCE_END.finditer(text)] == [
        (m.end(), m.group(1)) for m in _PLAIN_SENTENCE_END.finditer(text)
    ]
