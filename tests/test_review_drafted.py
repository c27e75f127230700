"""Issue 5, acceptance 1 and 2: dpakit's own drafted DPAs review as 100 % found, and taking out the
clause(s) that serve a term makes exactly that term (and nothing else that still has a server) missing.

The DPAs are drafted from the four example organisations with the real clause library and template
(``select_clauses`` + ``build_context`` + the template), so a term can be removed by drafting with a copy
of the library that lacks its clauses (``draft_dpa`` itself refuses to draft with a coverage gap).

What "serves" a term is the clauses that declare it in their front matter, plus:

* ``ALSO_SERVES`` — clauses that state a term without declaring it (found by reading the library: a
  cross-reference or restatement that a reviewer would also accept);
* ``TEMPLATE_PARTS`` — passages of the template's annexes that state a term (removed from the extracted
  text by the prefix they start with);
* minus ``PARTIAL`` — clauses that declare a term but state only part of it, so they cannot carry it alone
  (e.g. the transfers clause covers only the transfer limb of "documented instructions").

A term is expected missing after a removal when every one of its (full) servers was removed.
"""

from __future__ import annotations

import functools

import pytest

from dpakit.analysis import analyse, analyse_agreement
from dpakit.docx_render import document_bytes, render_document
from dpakit.drafting.clauses import ClauseLibrary, load_library, select_clauses
from dpakit.drafting.draft import DPA_TEMPLATE, build_context, draft_dpa
from dpakit.examples import EXAMPLES, load_example
from dpakit.review.reading import DocumentText, read_docx
from dpakit.review.report import review_document

ALSO_SERVES: dict[str, tuple[str, ...]] = {
    # "Clause 9(a) (use of sub-processors): Option 2 (general written authorisation)"
    "eu-scc-options": ("GDPR-28-2-a", "GDPR-28-3-d"),
    "eu-scc-annexes": ("GDPR-28-3-D6",),  # Annex I.B "including the categories of data subjects"
    "eu-scc-module-two": ("GDPR-46-2-c",),  # each module clause incorporates the SCCs itself
    "eu-scc-module-three": ("GDPR-46-2-c",),
    "eu-scc-module-four": ("GDPR-46-2-c",),
    "processing-details": ("CCPA-7051-a-2",),  # "for the following purposes of the Controller: …"
    "instructions": ("CCPA-7051-a-4",),  # "shall not process Personal Data for its own purposes"
    "security": ("POPIA-21-1",),  # the written contract requires security measures (s.21(1))
    "data-subject-requests": ("CCPA-7051-a-10",),  # "… and the right to know, correct, delete and opt out"
}
TEMPLATE_PARTS: dict[str, tuple[str, ...]] = {
    "Subject-matter |": ("GDPR-28-3-D1",),  # Annex II rows
    "Duration |": ("GDPR-28-3-D2",),
    "Nature of the processing |": ("GDPR-28-3-D3",),
    "Purposes |": ("GDPR-28-3-D4",),
    "Categories of personal data |": ("GDPR-28-3-D5",),
    "Categories of data subjects |": ("GDPR-28-3-D6",),
    "The Controller authorises the following Sub-processors": ("GDPR-28-2-a", "GDPR-28-3-d"),  # Annex IV intro
    # Annex III states the Processor's own measures (issue 10): its intro is the written requirement of s.21(1)
    # POPIA, and the staff-confidentiality measure states Art 28(3)(b) as a fact of the Processor's
    "The Processor applies the following technical and organisational measures": ("POPIA-21-1",),
    "The Processor has the following technical and organisational measures": ("POPIA-21-1",),
    "People | The Processor's staff are bound": ("GDPR-28-3-b",),
    # "Before you sign" repeats the condition on the assessment the Clause 14 / UK warranty rests on
    "[Before signature: the parties carry out and document the transfer": ("SCC914-C14",),
}
PARTIAL = {
    ("international-transfers", "GDPR-28-3-a"),
    ("governing-law", "GDPR-28-3-BIND"),
    ("liability-and-precedence", "GDPR-28-3-BIND"),
}


def _role(analysis) -> str:
    return "processor" if analysis.facts.get("role.processor") else "controller"


@functools.cache
def _analysis(name: str):
    # A DPA is the document of one agreement: its clauses, transfers and facts are that agreement's.
    return analyse_agreement(analyse(load_example(name)))


def drafted_text(name: str, removed: frozenset[str] = frozenset()) -> tuple[DocumentText, list]:
    """The example's DPA drafted without the ``removed`` clauses and template parts, read back as text."""
    library = load_library()
    kept = ClauseLibrary(clauses=tuple(c for c in library.clauses if c.id not in removed), version=library.version)
    analysis = _analysis(name)
    selected = select_clauses(analysis.facts, kept)
    context = build_context(analysis, selected, library.version, comments=False)
    doc = read_docx(document_bytes(render_document(DPA_TEMPLATE, context.template_values())), f"{name}.docx")
    prefixes = tuple(r for r in removed if r in TEMPLATE_PARTS)
    if prefixes:
        doc = doc.without(lambda p: p.text.startswith(prefixes))
    return doc, selected


@functools.cache
def servers(name: str) -> dict[str, frozenset[str]]:
    _, selected = drafted_text(name)
    present = {s.id for s in selected}
    found: dict[str, set[str]] = {}
    for sel in selected:
        for req in sel.clause.requirements:
            found.setdefault(req, set()).add(sel.id)
    for clause_id, reqs in ALSO_SERVES.items():
        if clause_id in present:
            for req in reqs:
                found.setdefault(req, set()).add(clause_id)
    for prefix, reqs in TEMPLATE_PARTS.items():
        for req in reqs:
            found.setdefault(req, set()).add(prefix)
    return {req: frozenset(ids) for req, ids in found.items()}


def review(name: str, doc: DocumentText):
    analysis = _analysis(name)
    return review_document(doc, analysis.regimes_in_scope, _role(analysis), facts=analysis.facts)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_dpa_dpakit_drafts_reviews_as_all_found(name):
    analysis = _analysis(name)
    draft = draft_dpa(analysis)
    doc = read_docx(draft.docx, f"{name}.docx")
    report = review(name, doc)
    assert report.results, "no terms were checked"
    assert [(r.id, r.status) for r in report.results if r.status != "found"] == []
    assert report.percent_found == 100
    # also when the transfer terms are decided from the text alone (no assessment)
    plain = review_document(doc, analysis.regimes_in_scope, _role(analysis))
    assert plain.counts()["found"] == len(plain.results)
    # A DPA may confine future transfers abroad although its own relationship has none (POPIA s.72 for an
    # operator in South Africa): from the text alone the transfer terms are then checked too, and found.
    assert {r.id for r in report.results} <= {r.id for r in plain.results}
    assert {r.id for r in plain.results if not r.conditional} == {r.id for r in report.results if not r.conditional}


def _cases():
    for name in EXAMPLES:
        for req in review(name, drafted_text(name)[0]).results:
            yield pytest.param(name, req.id, id=f"{name}-{req.id}")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "term"), list(_cases()))
def test_removing_the_clauses_serving_a_term_reports_it_missing_and_nothing_else(name, term):
    base = review(name, drafted_text(name)[0])
    serving = servers(name)
    removed = serving[term]
    doc, _ = drafted_text(name, removed)
    report = review(name, doc)
    expected = {r.id for r in base.results if {c for c in serving[r.id] if (c, r.id) not in PARTIAL} <= removed}
    assert term in expected
    newly = {r.id: r.status for r in report.results if r.status != "found"}
    assert newly == dict.fromkeys(sorted(expected), "missing"), f"removed {sorted(removed)}; " + "; ".join(
        f"{r.id} {r.status}: {r.because}" for r in report.results if (r.id in newly) != (r.id in expected)
    )
