"""Which law may override the Instructions: GDPR Art 28(3)(a) and (g) allow only Union or Member State law
(UK GDPR: domestic law), so no DPA lets "the law to which the Processor is subject" — any country's —
require processing beyond the Instructions or keeping data (legal-reference GDPR-28-3-a-EXC)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from golden import case_and_analysis, case_files

from dpakit import analyse, draft_dpa, load_example
from dpakit.drafting.draft import mandatory_law
from dpakit.examples import EXAMPLES

ANY_LAW = re.compile(
    r"(?<!Mandatory )\b(the|any|applicable) laws? (to which the Processor is subject )?(may )?requires?\b"
)
"""Any law as an exception: "unless the law requires", "as … the law require" (the confidentiality clause's old
wording, which the first version of this test missed)."""


def dpa_paragraphs(analysis) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(draft_dpa(analysis).docx)).paragraphs]


def analyses():
    for name in EXAMPLES:
        yield name, analyse(load_example(name))
    for path in case_files():
        yield path.stem, case_and_analysis(path)[1]


@pytest.mark.parametrize(("name", "analysis"), list(analyses()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_dpa_defines_mandatory_law_by_the_laws_in_scope_and_lets_no_other_law_override(name, analysis):
    text = dpa_paragraphs(analysis)
    definition = [t for t in text if t.startswith("Mandatory Law means ")]
    assert len(definition) == 1, name
    body = [t for t in text if t not in definition]
    assert not [t for t in body if ANY_LAW.search(t)], name
    instructions = next(t for t in body if t.startswith("The Processor shall process Personal Data only on"))
    assert "unless Mandatory Law requires it" in instructions
    confidentiality = next(t for t in body if t.startswith("The Processor shall keep the Personal Data confidential"))
    assert "as Mandatory Law requires" in confidentiality
    in_scope = set(analysis.regimes_in_scope)
    no_other = "no other law, including the law of any other country to which the processor is subject"
    if "eu_gdpr" in in_scope:
        assert "the law of a Member State of the European Union or of the European Economic Area" in definition[0]
    if "uk_gdpr" in in_scope:
        assert "the law of the United Kingdom or of a part of the United Kingdom" in definition[0]
    if in_scope & {"eu_gdpr", "uk_gdpr"}:
        assert no_other in definition[0].lower()
    else:  # the CCPA and POPIA do not confine the exception to their own country's law
        assert "European Union" not in definition[0] and "United Kingdom" not in definition[0]
        assert no_other not in definition[0].lower()
    # the SCCs keep their own rules on local laws, and the definition says so exactly when they are incorporated
    assert ("Clauses 8.5, 14 and 15" in definition[0]) == bool(analysis.facts.get("transfer.eu_scc")), name


def test_one_law_reads_plainly_several_are_lettered_and_none_is_a_visible_gap():
    assert mandatory_law(["popia"]) == "the law of the Republic of South Africa"
    both = mandatory_law(["eu_gdpr", "uk_gdpr"])
    assert both.startswith(
        "the law named here for the Personal Data concerned: (a) for Personal Data to which the "
        "General Data Protection Regulation (EU) 2016/679 applies, Union law"
    )
    assert "; and (b) for Personal Data to which the UK GDPR" in both and both.endswith("is Mandatory Law")
    mixed = mandatory_law(["eu_gdpr", "popia"])
    assert (
        "For Personal Data to which the General Data Protection Regulation (EU) 2016/679 applies, no other law" in mixed
    )
    assert mandatory_law([]).startswith("[to be completed:")
    assert mandatory_law(["us_state"]).startswith("[to be completed:")  # no DPA schedule names one
